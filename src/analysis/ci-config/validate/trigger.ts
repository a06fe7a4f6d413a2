// `trigger:` — a project path, or a hash: multi-project (project, branch) or child pipeline (include).
import type { PNode } from '../node.js';
import { isMap, isScalar, isSeq } from '../node.js';
import { where } from './schema.js';
import type { Schema } from './schema.js';
import { bool, custom, enumOf, fail, map, str } from './schema.js';
import { includeInputs } from './inputs.js';

const childInclude = map({
  keys: { local: str, template: str, artifact: str, job: str, project: str, file: str, ref: str, remote: str, component: str, inputs: includeInputs },
  also(m, at, c) {
    const kinds = ['local', 'template', 'artifact', 'project', 'remote', 'component'].filter((k) => m.entries.has(k));
    if (kinds.length !== 1) fail(c, 'invalid-value', at, 'config must specify exactly one of: local, template, artifact, project, remote, component', where(m, c));
    if (m.entries.has('artifact') && !m.entries.has('job')) fail(c, 'missing-key', at, 'config must specify the job where to fetch the artifact from', where(m, c));
    if (m.entries.has('project') && !m.entries.has('file')) fail(c, 'missing-key', at, 'config must specify the file where to fetch the config from', where(m, c));
  },
});

const include = custom('a string or an array of includes', (n, at, c) => {
  const items: PNode[] = isSeq(n) ? n.items : [n];
  if (isSeq(n) && n.items.length > 3) fail(c, 'invalid-value', at, 'config must contain at most 3 entries', where(n, c));
  for (const i of items) {
    if (isScalar(i) && typeof i.value === 'string') continue;
    if (isMap(i)) childInclude.check(i, at, c);
    else if (i.kind !== 'ref') fail(c, 'invalid-type', at, 'config should be a string or an array of hashes', i.pos);
  }
});

const forward = map({ keys: { yaml_variables: bool, pipeline_variables: bool } });

const triggerHash = map({
  keys: { project: str, branch: str, strategy: enumOf(['depend', 'mirror']), include, forward, inputs: includeInputs },
  exclusive: [['project', 'include']],
  oneRequired: ['project', 'include'],
  also(m, at, c) {
    const b = m.entries.get('branch');
    if (b && !m.entries.has('project')) fail(c, 'invalid-value', at, 'config branch is only allowed with project', b.keyPos);
  },
});

export const trigger: Schema = custom('a string or a hash', (n, at, c) => {
  if (isScalar(n) && typeof n.value === 'string') return;
  if (isMap(n)) return triggerHash.check(n, at, c);
  fail(c, 'invalid-type', at, 'config should be a string or a hash', where(n, c));
});
