// The chart in its two modes: SQLite (one replica, Recreate, a volume claim) and Redis (N
// replicas, no claim, a PodDisruptionBudget), plus the values an operator needs, the Ingress and
// the probes, rendered with the strict renderer in helm-lite.ts and read back as Kubernetes objects.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parseAllDocuments, parse } from 'yaml';
import { SqliteQueue } from '../../src/queue/index.js';
import { buildApp } from '../../src/server/index.js';
import { createMetrics } from '../../src/metrics.js';
import { testConfig } from '../helpers/config.js';
import { repoRoot } from '../helpers/paths.js';
import { renderTemplate, valuesPaths } from './helm-lite.js';

const chart = join(repoRoot, 'deploy', 'helm', 'ci-medic');
const templates = readdirSync(join(chart, 'templates')).filter((f) => f.endsWith('.yaml'));
const defaults = parse(readFileSync(join(chart, 'values.yaml'), 'utf8')) as Record<string, unknown>;

type K8sObject = { kind: string; metadata: { name: string }; spec?: Record<string, any>; stringData?: Record<string, string> };

function merge(base: unknown, over: unknown): unknown {
  if (over === null || typeof over !== 'object' || Array.isArray(over) || base === null || typeof base !== 'object') return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = merge(out[k], v);
  return out;
}

function render(overrides: Record<string, unknown> = {}): K8sObject[] {
  const values = merge(defaults, overrides);
  return templates.flatMap((file) => {
    const text = renderTemplate(readFileSync(join(chart, 'templates', file), 'utf8'), values, 'acme');
    return parseAllDocuments(text)
      .map((d) => {
        if (d.errors.length) throw new Error(`${file}: ${d.errors[0]!.message}`);
        return d.toJS() as K8sObject | null;
      })
      .filter((o): o is K8sObject => o !== null);
  });
}

const byKind = (objs: K8sObject[], kind: string) => objs.filter((o) => o.kind === kind);
const container = (objs: K8sObject[]) => byKind(objs, 'Deployment')[0]!.spec!['template'].spec.containers[0];
const envOf = (objs: K8sObject[]) => Object.fromEntries((container(objs).env as Array<{ name: string; value?: string; valueFrom?: unknown }>).map((e) => [e.name, e.value ?? e.valueFrom]));

t.test('every value a template reads exists in values.yaml', async (t) => {
  for (const file of templates) {
    for (const path of valuesPaths(readFileSync(join(chart, 'templates', file), 'utf8'))) {
      let cur: unknown = defaults;
      for (const part of path.split('.')) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
      t.not(cur, undefined, `${file}: .Values.${path} has a default`);
    }
  }
});

t.test('without Redis: one replica, Recreate, a ReadWriteOnce claim, no disruption budget', async (t) => {
  const objs = render({ replicaCount: 3 });
  const dep = byKind(objs, 'Deployment')[0]!;
  t.equal(dep.spec!['replicas'], 1, 'SQLite is single-writer whatever replicaCount says');
  t.equal(dep.spec!['strategy'].type, 'Recreate', 'the old pod releases the volume before the new one starts');
  const pvc = byKind(objs, 'PersistentVolumeClaim');
  t.equal(pvc.length, 1);
  t.same(pvc[0]!.spec!['accessModes'], ['ReadWriteOnce']);
  const volumes = dep.spec!['template'].spec.volumes as Array<{ name: string; persistentVolumeClaim?: { claimName: string } }>;
  t.equal(volumes.find((v) => v.name === 'data')!.persistentVolumeClaim!.claimName, pvc[0]!.metadata.name);
  t.equal(byKind(objs, 'PodDisruptionBudget').length, 0);
  t.notOk('REDIS_URL' in envOf(objs));
});

t.test('with Redis: N replicas, rolling updates, no claim, a PodDisruptionBudget, the key prefix', async (t) => {
  const objs = render({ replicaCount: 3, redis: { url: 'redis://redis:6379', prefix: 'team-a' } });
  const dep = byKind(objs, 'Deployment')[0]!;
  t.equal(dep.spec!['replicas'], 3);
  t.equal(dep.spec!['strategy'].type, 'RollingUpdate');
  t.equal(byKind(objs, 'PersistentVolumeClaim').length, 0, 'pods on other nodes could not attach a ReadWriteOnce claim');
  t.notOk((dep.spec!['template'].spec.volumes as Array<Record<string, unknown>>).some((v) => 'persistentVolumeClaim' in v));
  const pdb = byKind(objs, 'PodDisruptionBudget');
  t.equal(pdb.length, 1);
  t.same(pdb[0]!.spec!['selector'].matchLabels, dep.spec!['selector'].matchLabels, 'the budget covers the deployment\'s pods');
  const env = envOf(objs);
  t.equal(env['REDIS_URL'], 'redis://redis:6379');
  t.equal(env['REDIS_PREFIX'], 'team-a');
});

t.test('secrets: an existing Secret, or one the chart creates; the signing secret when asked', async (t) => {
  const own = render({ secretValues: { gitlabToken: 'glpat-x', webhookSecret: 's' } });
  const secret = byKind(own, 'Secret')[0]!;
  t.same(secret.stringData, { GITLAB_TOKEN: 'glpat-x', WEBHOOK_SECRET: 's' });
  t.same((envOf(own)['GITLAB_TOKEN'] as any).secretKeyRef, { name: secret.metadata.name, key: 'GITLAB_TOKEN' });
  t.notOk('WEBHOOK_SIGNING_SECRET' in envOf(own));

  const existing = render({ existingSecret: 'ops-ci-medic', webhook: { signing: true } });
  t.equal(byKind(existing, 'Secret').length, 0, 'no Secret is created when one exists');
  const env = envOf(existing);
  for (const key of ['GITLAB_TOKEN', 'WEBHOOK_SECRET', 'WEBHOOK_SIGNING_SECRET']) {
    t.same((env[key] as any).secretKeyRef, { name: 'ops-ci-medic', key });
  }
});

t.test('bot user id, custom rules and allowed projects reach the environment', async (t) => {
  const objs = render({ gitlab: { botUserId: '42' }, rulesConfigMap: 'team-rules', allowedProjects: 'acme/' });
  const env = envOf(objs);
  t.equal(env['BOT_USER_ID'], '42');
  t.equal(env['RULES_DIR'], '/etc/ci-medic/rules');
  t.equal(env['ALLOWED_PROJECTS'], 'acme/');
  const mounts = container(objs).volumeMounts as Array<{ name: string; mountPath: string }>;
  t.ok(mounts.some((m) => m.name === 'rules' && m.mountPath === '/etc/ci-medic/rules'));
  const volumes = byKind(objs, 'Deployment')[0]!.spec!['template'].spec.volumes as Array<{ name: string; configMap?: { name: string } }>;
  t.equal(volumes.find((v) => v.name === 'rules')!.configMap!.name, 'team-rules');
});

t.test('an Ingress exposes only the webhook route', async (t) => {
  t.equal(byKind(render(), 'Ingress').length, 0, 'off by default');
  const ing = byKind(render({ ingress: { enabled: true, host: 'bot.acme.test', className: 'nginx', tlsSecretName: 'bot-tls' } }), 'Ingress')[0]!;
  t.equal(ing.spec!['ingressClassName'], 'nginx');
  t.same(ing.spec!['tls'], [{ hosts: ['bot.acme.test'], secretName: 'bot-tls' }]);
  const paths = ing.spec!['rules'][0].http.paths as Array<{ path: string; backend: { service: { name: string } } }>;
  t.same(paths.map((p) => p.path), ['/webhooks/gitlab']);
  t.equal(paths[0]!.backend.service.name, byKind(render(), 'Service')[0]!.metadata.name);
});

t.test('the probes hit routes the service answers', async (t) => {
  const c = container(render());
  const queue = new SqliteQueue(':memory:');
  const app = buildApp({ config: testConfig(), queue, metrics: createMetrics(queue, { defaultMetrics: false }) });
  await app.ready();
  t.teardown(async () => {
    await app.close();
    await queue.close();
  });
  for (const probe of [c.readinessProbe, c.livenessProbe]) {
    const res = await app.inject({ method: 'GET', url: probe.httpGet.path });
    t.equal(res.statusCode, 200, `${probe.httpGet.path} answers 200 on a healthy service`);
  }
});

t.test('the renderer refuses what it does not understand (so the test cannot pass vacuously)', async (t) => {
  t.throws(() => renderTemplate('{{ .Values.nope }}', {}), /no value at .Values.nope/);
  t.throws(() => renderTemplate('{{ range .Values.x }}{{ end }}', { x: [] }), /unsupported action/);
  t.equal(renderTemplate('a:\n  {{- if .Values.on }} b{{ else }} c{{ end }}', { on: false }), 'a: c');
});
