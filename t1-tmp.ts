import { resolveCiConfigFromFiles } from './src/analysis/ci-config/index.js';
const y = `variables:
  IMG: $CI_REGISTRY_IMAGE/app
default:
  before_script:
    - echo hi
.base:
  before_script:
    - echo base
build:
  extends: .base
  services:
    - name: docker:24-dind
      alias: docker
  script:
    - |
      docker build -t $IMG .
      docker push $IMG
    - >
      docker build
      -t x .
`;
const ci = await resolveCiConfigFromFiles(new Map([['.gitlab-ci.yml', y]]));
const j = ci.jobs[0]!;
console.log(JSON.stringify({bs: j.beforeScript, s: j.script, bsp: j.beforeScriptPos, d: ci.defaultBeforeScriptPos, svc: j.services, vars: j.variables, pos: j.pos, probs: ci.problems}, null, 1));
