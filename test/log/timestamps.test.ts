// Runner logs written with timestamps (FF_TIMESTAMPS, GitLab 17.1+): each raw line starts with
// `<RFC 3339, microseconds>Z <stream><O|E><' '|'+'> `; `+` continues the previous line, which
// GitLab's log view joins. Section markers, ANSI and the failure are found through the prefixes.
import t from 'tap';
import { scanText } from './helpers.js';
import { timestampPrefixLength } from '../../src/analysis/log/normalise.js';

const E = '\x1b';
const LOG = [
  `2026-03-02T09:15:01.104233Z 00O ${E}[0KRunning with gitlab-runner 17.4.0 (b92ee590)${E}[0;m`,
  `2026-03-02T09:15:01.104301Z 00O section_start:1772442901:prepare_executor\r${E}[0K`,
  `2026-03-02T09:15:01.104305Z 00O+${E}[0K${E}[36;1mPreparing the "docker" executor${E}[0;m${E}[0;m`,
  `2026-03-02T09:15:01.221870Z 00O section_end:1772442901:prepare_executor\r${E}[0K`,
  `2026-03-02T09:15:02.000001Z 00O+section_start:1772442902:step_script[collapsed=true]\r${E}[0K`,
  `2026-03-02T09:15:02.000004Z 00O+${E}[0K${E}[36;1mExecuting "step_script" stage of the job script${E}[0;m`,
  `2026-03-02T09:15:03.512000Z 01O ${E}[32;1m$ docker push $CI_REGISTRY_IMAGE:latest${E}[0;m`,
  `2026-03-02T09:15:04.100020Z 01O The push refers to repository [registry.example.com/group/app]`,
  `2026-03-02T09:15:04.310500Z 01E denied: requested access to the resource is denied`,
  `2026-03-02T09:15:04.400000Z 00O section_end:1772442902:step_script\r${E}[0K`,
  `2026-03-02T09:15:04.400100Z 00O ${E}[31;1mERROR: Job failed: exit code 1${E}[0;m`,
  '',
].join('\n');

t.test('timestamp prefixes are recognised by position', async (t) => {
  t.equal(timestampPrefixLength('2026-03-02T09:15:01.104233Z 00O x'), 32);
  t.equal(timestampPrefixLength('2026-03-02T09:15:01.104233Z 0aE+x'), 32);
  t.equal(timestampPrefixLength('2026-03-02 09:15:01.104233Z 00O x'), 0);
  t.equal(timestampPrefixLength('$ docker push registry.example.com/group/app:latest'), 0);
});

t.test('a timestamped log reads like the plain one', async (t) => {
  const r = await scanText(LOG);
  // `+` lines join the line before them: 11 raw lines, 8 shown.
  t.equal(r.totalLines, 8);
  t.equal(r.tail[1]?.text, 'Preparing the "docker" executor');
  t.equal(r.tail[1]?.section, 'prepare_executor');
  t.equal(r.tail[3]?.text, '$ docker push $CI_REGISTRY_IMAGE:latest');
  t.equal(r.tail[3]?.section, 'step_script', 'a collapsed section is tracked like any other');
  t.notOk(r.tail.some((l) => /^\d{4}-\d\d-\d\dT/.test(l.text)), 'no prefix left in any line');
  const hit = r.matches.find((m) => m.ruleId === 'registry-login-missing');
  t.equal(hit?.line.text, 'denied: requested access to the resource is denied');
  t.equal(hit?.command?.text, '$ docker push $CI_REGISTRY_IMAGE:latest');
});
