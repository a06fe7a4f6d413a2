// Property: whatever arrives at POST /webhooks/gitlab, the ingress answers — never a 5xx, never a
// crash; a refusal is a 4xx carrying {error, message}; an acceptance is a 202 carrying a status.
import t, { type Test } from 'tap';
import fc from 'fast-check';
import '../helpers/fuzz.js';
import { startIngress, type Ingress } from '../helpers/ingress.js';
import { jobHook, mergeRequestHook, pipelineHook } from '../fake-gitlab/index.js';

const EVENTS = ['Merge Request Hook', 'Pipeline Hook', 'Job Hook', 'Note Hook', 'Confidential Note Hook', 'System Hook', 'Push Hook', 'Bogus Hook', ''];
const ACCEPTED = new Set(['queued', 'replaced', 'duplicate', 'ignored']);

function checkAnswer(t: Test, res: { status: number; json: Record<string, unknown> }, what: unknown): boolean {
  if (res.status >= 500) {
    t.fail(`5xx for ${JSON.stringify(what).slice(0, 300)}`, { res });
    return false;
  }
  if (res.status === 202) return typeof res.json.status === 'string' && ACCEPTED.has(res.json.status);
  if (res.status >= 400 && res.status < 500) {
    return typeof res.json.error === 'string' && /^CIM_ERR_/.test(res.json.error) && typeof res.json.message === 'string' && res.json.message.length > 0;
  }
  return false;
}

const project = { id: 42, path: 'acme/web-app' };
const mr = { iid: 12, sourceBranch: 'feature/x', headSha: 'c'.repeat(40) };
const VALID = [
  { event: 'Merge Request Hook', body: mergeRequestHook(project, mr, { action: 'open' }) },
  { event: 'Merge Request Hook', body: mergeRequestHook(project, mr, { action: 'update', oldrev: 'b'.repeat(40) }) },
  { event: 'Pipeline Hook', body: pipelineHook(project, { id: 900, sha: 'c'.repeat(40), ref: 'feature/x', status: 'failed', mr, jobs: [{ id: 5, name: 'build', stage: 'build', status: 'failed' }] }) },
  { event: 'Job Hook', body: jobHook(project, { id: 5, name: 'build', stage: 'build', status: 'failed', pipelineId: 900, sha: 'c'.repeat(40), ref: 'feature/x' }) },
];

type JsonObj = Record<string, unknown>;

/** Every path to a value inside a JSON tree. */
function paths(value: unknown, prefix: Array<string | number> = [], out: Array<Array<string | number>> = []): Array<Array<string | number>> {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = [...prefix, Array.isArray(value) ? Number(k) : k];
      out.push(p);
      paths(v, p, out);
    }
  }
  return out;
}

function mutate(body: unknown, at: Array<string | number>, replacement: unknown, remove: boolean): unknown {
  const copy = structuredClone(body) as JsonObj;
  let node: JsonObj = copy;
  for (const seg of at.slice(0, -1)) node = node[seg as string] as JsonObj;
  const last = at[at.length - 1] as string;
  if (remove) delete node[last];
  else node[last] = replacement;
  return copy;
}

let ingress: Ingress;
t.before(async () => {
  ingress = await startIngress(t);
});

t.test('arbitrary JSON values under any event header', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...EVENTS), fc.jsonValue({ maxDepth: 4 }), async (event, body) => {
      const res = await ingress.post(event || undefined, body);
      return checkAnswer(t, res, body);
    }),
    { numRuns: 60 },
  );
  t.pass('property held');
});

t.test('arbitrary JSON objects shaped like events (object_kind set)', async (t) => {
  const kinds = ['merge_request', 'pipeline', 'build', 'note', 'push', 'x'];
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...EVENTS),
      fc.constantFrom(...kinds),
      fc.dictionary(fc.constantFrom('object_attributes', 'project', 'builds', 'merge_request', 'project_id', 'build_id', 'pipeline_id', 'sha', 'ref', 'build_status', 'user'), fc.jsonValue({ maxDepth: 3 })),
      async (event, kind, rest) => checkAnswer(t, await ingress.post(event, { ...rest, object_kind: kind }), rest),
    ),
    { numRuns: 60 },
  );
  t.pass('property held');
});

t.test('arbitrary bytes as the body', async (t) => {
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...EVENTS), fc.uint8Array({ maxLength: 512 }), async (event, bytes) => {
      const res = await ingress.post(event, Buffer.from(bytes));
      return checkAnswer(t, res, [...bytes]);
    }),
    { numRuns: 60 },
  );
  t.pass('property held');
});

t.test('arbitrary extra headers and content types', async (t) => {
  const token = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/).filter((h) => !['content-length', 'transfer-encoding', 'host', 'connection', 'expect', 'upgrade'].includes(h));
  const value = fc.stringMatching(/^[\x20-\x7e]{0,60}$/).map((s) => s.trim());
  await fc.assert(
    fc.asyncProperty(
      fc.dictionary(token, value, { maxKeys: 6 }),
      fc.constantFrom(...VALID),
      async (headers, valid) => {
        const res = await ingress.post(valid.event, valid.body, headers);
        return checkAnswer(t, res, headers);
      },
    ),
    { numRuns: 60 },
  );
  t.pass('property held');
});

t.test('valid payloads with one field replaced or removed', async (t) => {
  const cases = VALID.map((v) => ({ ...v, paths: paths(v.body) }));
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...cases).chain((c) => fc.tuple(fc.constant(c), fc.constantFrom(...c.paths))),
      fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(-1, 0, 1.5, 2 ** 60, '', 'x'.repeat(2000), null, [], {}, 'g'.repeat(40))),
      fc.boolean(),
      async ([c, at], replacement, remove) => {
        const res = await ingress.post(c.event, mutate(c.body, at, replacement, remove));
        return checkAnswer(t, res, { at, replacement, remove });
      },
    ),
    { numRuns: 120 },
  );
  t.pass('property held');
});

t.test('the valid payloads themselves are accepted, and the service still answers afterwards', async (t) => {
  for (const v of VALID) {
    const res = await ingress.post(v.event, v.body);
    t.equal(res.status, 202, v.event);
    t.match(res.json, { status: /^(queued|replaced|duplicate)$/ });
  }
  const health = await ingress.app.inject({ method: 'GET', url: '/healthz' });
  t.equal(health.statusCode, 200);
});
