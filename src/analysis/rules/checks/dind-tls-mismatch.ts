// DOCKER_HOST's port and the dind service's TLS setting disagree: dind (19.03+) serves TLS on
// 2376 unless DOCKER_TLS_CERTDIR is empty, and plain TCP on 2375 only then.
import type { Finding, TextEdit } from '../../types.js';
import type { StaticCheck } from '../types.js';
import { makeFinding, fileLines } from '../finding.js';
import { replaceOnLine } from './support/yaml-edits.js';
import { dindService, serviceHostnames, dockerHostOf, scriptSetsDockerEnv, serviceServesTls, isLocalHost } from './support/dind.js';
import { completeJobs } from './support/completeness.js';
import { firstPerKey } from './support/first-per-key.js';
import { code } from '../../../text/markdown.js';

export const RULE_ID = 'dind-tls-mismatch';

export const check: StaticCheck = {
  ruleId: RULE_ID,
  run(ctx) {
    const out: Finding[] = [];
    const isFirst = firstPerKey();
    for (const job of completeJobs(ctx.ci)) {
      const svc = dindService(job);
      const dh = dockerHostOf(job);
      if (!svc || !dh || dh.port === undefined || scriptSetsDockerEnv(job)) continue;
      if (!isLocalHost(dh.host) && !serviceHostnames(svc).includes(dh.host)) continue;
      const tls = serviceServesTls(job, svc);
      const verify = job.variables['DOCKER_TLS_VERIFY']?.value;
      let message: string | undefined;
      let edit: TextEdit | undefined;
      if (dh.port === 2375 && tls) {
        const certdir = job.variables['DOCKER_TLS_CERTDIR'];
        message = `Job ${code(job.name)} talks plain TCP to ${code(dh.raw)}, but its ${code(svc.name)} service serves TLS on 2376 (DOCKER_TLS_CERTDIR is ${certdir ? `${code(certdir.value)}` : 'the image default `/certs`'}): the CLI cannot connect. Set \`DOCKER_TLS_CERTDIR: ""\` to disable TLS, or use port 2376 with TLS.`;
        if (certdir?.pos) edit = replaceOnLine(ctx.ci, certdir.pos.path, certdir.pos.line, /(DOCKER_TLS_CERTDIR:[ \t]*)[^\n]*/, '$1""');
        else if (!certdir && dh.pos) {
          const line = fileLines(ctx.ci, dh.pos.path)[dh.pos.line - 1] ?? '';
          const m = /^(\s*)DOCKER_HOST:/.exec(line);
          if (m) edit = { path: dh.pos.path, startLine: dh.pos.line + 1, endLine: dh.pos.line, newLines: [`${m[1]}DOCKER_TLS_CERTDIR: ""`] };
        }
      } else if (dh.port === 2376 && !tls) {
        message = `Job ${code(job.name)} expects TLS at ${code(dh.raw)}, but its ${code(svc.name)} service runs without TLS (empty DOCKER_TLS_CERTDIR) and listens on 2375.`;
        if (dh.pos) edit = replaceOnLine(ctx.ci, dh.pos.path, dh.pos.line, ':2376', ':2375');
      } else if (dh.port === 2375 && verify !== undefined && verify !== '' && verify !== '0') {
        message = `Job ${code(job.name)} sets ${code(`DOCKER_TLS_VERIFY=${verify}`)} but talks plain TCP on port 2375: the CLI will try TLS against a plain listener.`;
      }
      if (!message) continue;
      const loc = dh.pos ?? svc.pos ?? job.pos;
      // Per job: the run step merges jobs sharing a line and names them.
      const key = `${job.name}@${loc.path}:${loc.line}:${message}`;
      if (!isFirst(key)) continue;
      out.push(makeFinding(ctx, RULE_ID, {
        message,
        location: { path: loc.path, line: loc.line },
        evidence: { job: job.name, dockerHost: dh.raw, service: svc.name, tls },
        ...(edit ? { fix: { description: dh.port === 2375 ? 'Turn off TLS in the dind service (`DOCKER_TLS_CERTDIR: ""`)' : 'Use the plain-TCP port 2375', edits: [edit] } } : {}),
      }));
    }
    return out;
  },
};
