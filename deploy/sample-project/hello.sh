#!/bin/sh
echo "hello from the ci-medic sample project"
