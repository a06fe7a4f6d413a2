// The ingest bench's load generator, in a worker thread so it does not share the event loop of
// the server it measures: `connections` keep-alive connections, each sending its next request
// as soon as the previous answer is in (closed loop), a fresh Idempotency-Key per request.
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export interface LoadSpec {
  url: string;
  connections: number;
  requests: number;
  headers: Record<string, string>;
  /** One body per request index modulo bodies.length. */
  bodies: string[];
  keyPrefix: string;
}

export interface LoadResult {
  seconds: number;
  latenciesMs: number[];
  non202: number;
}

function post(agent: http.Agent, url: URL, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, hostname: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const url = new URL(spec.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const latenciesMs: number[] = [];
  let non202 = 0;
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: spec.connections }, async () => {
    while (next < spec.requests) {
      const i = next++;
      const t0 = process.hrtime.bigint();
      const status = await post(agent, url, { ...spec.headers, 'idempotency-key': `${spec.keyPrefix}-${i}` }, spec.bodies[i % spec.bodies.length]!);
      latenciesMs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      if (status !== 202) non202++;
    }
  }));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return { seconds, latenciesMs, non202 };
}

if (parentPort && workerData) {
  run(workerData as LoadSpec).then((r) => parentPort!.postMessage(r), (err: unknown) => parentPort!.postMessage({ error: String(err) }));
}
