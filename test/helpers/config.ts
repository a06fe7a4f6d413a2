// A valid service Config for tests, built through loadConfig so defaults stay the real ones.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { loadConfig, type Config } from '../../src/config.js';

export const TEST_SECRET = 'test-webhook-secret-0123456789';
export const TEST_TOKEN = 'glpat-test-token-000000';

/** Environment for `ci-medic serve` / loadConfig; `extra` wins. */
export function serviceEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    GITLAB_URL: 'http://127.0.0.1:9',
    GITLAB_TOKEN: TEST_TOKEN,
    WEBHOOK_SECRET: TEST_SECRET,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    RECONCILE_INTERVAL_SECONDS: '0',
    ...extra,
  };
}

export function testConfig(extra: Record<string, string> = {}): Config {
  return loadConfig(serviceEnv(extra));
}

/** A fresh temporary directory; removed by the returned cleanup. */
export function tempDir(prefix = 'cim-test-'): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
