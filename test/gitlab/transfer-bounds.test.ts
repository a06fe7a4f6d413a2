// Transfer bounds of the GitLab client against a raw HTTP server that misbehaves on purpose:
// endless bodies, silence after the headers, trickling bodies, and a task that is stopped.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { FileTooLargeError, GitlabClient } from '../../src/gitlab/client.js';
import { GitlabUnavailableError } from '../../src/gitlab/errors.js';
import { RequestAbortedError, TransferTimeoutError, withAbortSignal } from '../../src/gitlab/http.js';

type Behaviour = (res: ServerResponse) => void;

async function server(t: Test, behaviour: Behaviour): Promise<{ url: string; requests: () => number; written: () => number }> {
  let requests = 0;
  let written = 0;
  const srv = createServer((req, res) => {
    requests++;
    const write = res.write.bind(res);
    res.write = ((chunk: Uint8Array | string, ...rest: never[]) => {
      written += Buffer.byteLength(chunk);
      return write(chunk, ...rest);
    }) as typeof res.write;
    behaviour(res);
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => {
    srv.closeAllConnections();
    srv.close(() => resolve());
  }));
  return { url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`, requests: () => requests, written: () => written };
}

const client = (url: string, o: { idle?: number; total?: number; attempts?: number } = {}) =>
  new GitlabClient({
    host: url, token: 't', idleTimeoutMs: o.idle ?? 200, totalTimeoutMs: o.total ?? 5_000,
    policy: { maxAttempts: o.attempts ?? 2, baseDelayMs: 1, maxDelayMs: 5, attemptTimeoutMs: 2_000 },
  });

/** Writes 64 KiB chunks for as long as the client reads. */
const endless: Behaviour = (res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', pump);
  };
  pump();
};

t.test('an endless file body: readFile stops at maxBytes and says it was truncated', async (t) => {
  const s = await server(t, endless);
  const read = await client(s.url).readFile(1, 'big.yml', 'main', 1000);
  t.equal(read?.truncated, true);
  t.equal(read?.text.length, 1000, 'exactly maxBytes bytes kept');
  await t.rejects(client(s.url).rawFile(1, 'big.yml', 'main', 1000), FileTooLargeError, 'rawFile refuses a file over its bound');
});

t.test('headers then silence: a file read fails after the idle timeout, each attempt bounded', async (t) => {
  const s = await server(t, (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('partial');
  });
  await t.rejects(client(s.url, { attempts: 2 }).rawFile(1, 'ci.yml', 'main'), GitlabUnavailableError);
  t.equal(s.requests(), 2, 'retried once (GET), then given up');
});

t.test('a job log that stalls: the stream fails with TransferTimeoutError after the bytes it got', async (t) => {
  const s = await server(t, (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('$ docker push\n');
  });
  let got = '';
  const err = await (async () => {
    try {
      for await (const chunk of client(s.url).streamJobTrace(1, 2)) got += Buffer.from(chunk).toString();
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  t.ok(err instanceof TransferTimeoutError, 'a typed stall error');
  t.equal((err as TransferTimeoutError).reason, 'idle');
  t.equal((err as TransferTimeoutError).bytesRead, 14);
  t.equal(got, '$ docker push\n', 'what arrived was delivered');
});

t.test('a body that trickles forever ends at the total deadline', async (t) => {
  const s = await server(t, (res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    const timer = setInterval(() => (res.destroyed ? clearInterval(timer) : res.write('x')), 20);
    res.once('close', () => clearInterval(timer));
  });
  const err = await (async () => {
    try {
      for await (const _ of client(s.url, { idle: 2000, total: 300 }).streamJobTrace(1, 2)) { /* keep reading */ }
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  t.ok(err instanceof TransferTimeoutError);
  t.equal((err as TransferTimeoutError).reason, 'total');
});

t.test("the task's abort signal ends a request in flight and is not retried", async (t) => {
  const controller = new AbortController();
  // Never answers; the task is stopped once the request is in flight.
  const s = await server(t, () => controller.abort());
  await t.rejects(withAbortSignal(controller.signal, () => client(s.url, { attempts: 5 }).rawFile(1, 'ci.yml', 'main')), RequestAbortedError);
  t.equal(s.requests(), 1, 'one attempt only');
  await t.rejects(withAbortSignal(controller.signal, () => client(s.url).rawFile(1, 'ci.yml', 'main')), RequestAbortedError, 'an aborted task sends nothing');
  t.equal(s.requests(), 1);
});

t.test('a stopped task does not sit out a Retry-After wait; a long Retry-After goes back to the queue at once', async (t) => {
  const s = await server(t, (res) => {
    res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': s.requests() === 1 ? '2' : '3600' });
    res.end('Retry later');
  });
  const controller = new AbortController();
  // A wait that never ends by itself, and the task stopped while it waits: only the abort can end it.
  const sleep = () => {
    setImmediate(() => controller.abort());
    return new Promise<void>(() => undefined);
  };
  const waiting = new GitlabClient({ host: s.url, token: 't', sleep, policy: { maxAttempts: 5 } });
  await t.rejects(withAbortSignal(controller.signal, () => waiting.rawFile(1, 'ci.yml', 'main')), RequestAbortedError, 'the wait ended with the task');
  const err = await client(s.url, { attempts: 5 }).rawFile(1, 'ci.yml', 'main').catch((e: unknown) => e);
  t.ok(err instanceof GitlabUnavailableError);
  t.equal((err as GitlabUnavailableError).details.retryAfterMs, 3600_000, "GitLab's hour is handed to the queue");
});
