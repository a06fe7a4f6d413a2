// The job's docker CLI image and its dind service come from different Docker releases.
// Docker 29's daemon refuses API versions below 1.44, so an old pinned client against an
// unpinned `docker:dind` breaks (`client version 1.41 is too old`).
import type { Finding } from '../../types.js';
import type { StaticCheck } from '../types.js';
import { makeFinding, fileLines } from '../finding.js';
import { dindService, dockerImageVersion, majorMinor } from './support/dind.js';
import { firstPerKey, lineKey } from './support/first-per-key.js';
import { code } from '../../../text/markdown.js';

export const RULE_ID = 'dind-version-mismatch';

function isDockerCliImage(name: string): boolean {
  return hasDockerTag(name) && !/dind/.test(name) || /(^|\/)docker$/.test(name);
}

/** `/(^|\/)docker:\S*$/` without its quadratic retries: a `docker:` component in the last word. */
function hasDockerTag(name: string): boolean {
  let ws = name.length - 1;
  while (ws >= 0 && !/\s/.test(name[ws]!)) ws--;
  return ws < 0 ? /(^|\/)docker:/.test(name) : /\/docker:/.test(name.slice(ws + 1));
}

export const check: StaticCheck = {
  ruleId: RULE_ID,
  run(ctx) {
    const out: Finding[] = [];
    const isFirst = firstPerKey();
    for (const job of ctx.ci?.jobs ?? []) {
      const svc = dindService(job);
      const image = job.image?.name;
      if (!svc || !image || !isDockerCliImage(image) || image.includes('$') && !image.includes('DEPENDENCY_PROXY')) continue;
      const client = dockerImageVersion(image);
      const daemon = dockerImageVersion(svc.name);
      const c = majorMinor(client);
      const d = majorMinor(daemon);
      let reason: string | undefined;
      if (c && d && c[0] !== d[0]) reason = `the CLI is Docker ${client} and the daemon Docker ${daemon}`;
      else if (c && !d && c[0] < 25) reason = `the CLI is pinned to Docker ${client} while the ${code(svc.name)} daemon follows the latest release, which refuses clients older than API 1.44 (Docker 25)`;
      if (!reason) continue;
      const loc = svc.pos ?? job.pos;
      if (!isFirst(`${job.name}@${lineKey(loc)}`)) continue;
      // Pin the service to the client's version on the line where the service name is written.
      let fix;
      const lines = fileLines(ctx.ci, loc.path);
      for (let n = loc.line; n <= (svc.pos?.endLine ?? loc.line); n++) {
        const text = lines[n - 1] ?? '';
        if (!text.includes(svc.name)) continue;
        const colon = svc.name.indexOf(':', svc.name.lastIndexOf('/') + 1);
        const base = colon < 0 ? svc.name : svc.name.slice(0, colon);
        const variant = /-dind(-rootless)?$/.exec(svc.name)?.[0] ?? '-dind';
        fix = { description: `Pin the dind service to the client's version (${client})`, edits: [{ path: loc.path, startLine: n, endLine: n, newLines: [text.replace(svc.name, `${base}:${client}${variant}`)] }] };
        break;
      }
      out.push(makeFinding(ctx, RULE_ID, {
        message: `Job ${code(job.name)} uses ${code(image)} with the ${code(svc.name)} service: ${reason}. Use the same version for both.`,
        location: { path: loc.path, line: loc.line },
        evidence: { job: job.name, image, service: svc.name },
        ...(fix ? { fix } : {}),
      }));
    }
    return out;
  },
};
