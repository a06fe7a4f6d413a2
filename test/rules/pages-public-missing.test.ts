import t from 'tap';
import { check } from '../../src/analysis/rules/checks/pages-public-missing.js';
import { runCheck } from './helpers.js';

t.test('pages job keeping dist/: public is added to the paths', async (t) => {
  const [f] = await runCheck(check, { ci: `pages:
  script:
    - npm run build
  artifacts:
    paths:
      - dist
` });
  t.same(f!.location, { path: '.gitlab-ci.yml', line: 1 });
  t.same(f!.fix!.edits, [{ path: '.gitlab-ci.yml', startLine: 6, endLine: 5, newLines: ['      - public'] }]);
});

t.test('pages job without artifacts gets an artifacts key', async (t) => {
  const [f] = await runCheck(check, { ci: `pages:
  script:
    - mkdocs build -d public
` });
  t.same(f!.fix!.edits, [{ path: '.gitlab-ci.yml', startLine: 2, endLine: 1, newLines: ['  artifacts:', '    paths:', '      - public'] }]);
});

t.test('near misses', async (t) => {
  t.same(await runCheck(check, { ci: `pages:
  script: [mv build public]
  artifacts:
    paths: [public/]
` }), [], 'public/');
  t.same(await runCheck(check, { ci: `deploy-site:
  pages:
    publish: site
  script: [make]
  artifacts:
    paths: [site]
` }), [], 'pages.publish');
  t.same(await runCheck(check, { ci: `build:
  script: [make]
  artifacts:
    paths: [dist]
` }), [], 'not a pages job');
});
