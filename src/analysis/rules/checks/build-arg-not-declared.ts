// `--build-arg X` for a Dockerfile that never declares `ARG X`: the value is silently dropped.
import type { Finding } from '../../types.js';
import type { DockerfileModel } from '../../dockerfile/types.js';
import type { StaticCheck } from '../types.js';
import { makeFinding, lineOfCommand } from '../finding.js';
import { code } from '../../../text/markdown.js';

export const RULE_ID = 'build-arg-not-declared';

// Build args every builder accepts without an ARG line (docker docs: "Predefined ARGs" and BuildKit's).
const PREDEFINED = new Set([
  'HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY',
  'http_proxy', 'https_proxy', 'ftp_proxy', 'no_proxy', 'all_proxy',
  'BUILDKIT_INLINE_CACHE', 'BUILDKIT_SYNTAX', 'BUILDKIT_CONTEXT_KEEP_GIT_DIR', 'BUILDKIT_MULTI_PLATFORM',
  'BUILDKIT_SANDBOX_HOSTNAME', 'BUILDKIT_CACHE_MOUNT_NS', 'BUILDKIT_DOCKERFILE_CHECK', 'SOURCE_DATE_EPOCH',
  'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT', 'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT',
]);

export function declaredArgs(df: DockerfileModel): Set<string> {
  return new Set([...df.globalArgs, ...df.stages.flatMap((s) => s.args)].map((a) => a.name));
}

export const check: StaticCheck = {
  ruleId: RULE_ID,
  run(ctx) {
    const out: Finding[] = [];
    for (const b of ctx.builds) {
      if (!b.dockerfile) continue;
      const declared = declaredArgs(b.dockerfile);
      const unused = b.build.buildArgs.map((a) => a.name).filter((n) => !declared.has(n) && !PREDEFINED.has(n) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(n));
      for (const name of [...new Set(unused)]) {
        const inv = b.build.invocation;
        out.push(makeFinding(ctx, RULE_ID, {
          message: `Job ${code(b.job.name)} passes ${code(`--build-arg ${name}`)}, but ${code(b.dockerfilePath)} declares no ${code(`ARG ${name}`)}, so the value never reaches the build. Declare ${code(`ARG ${name}`)} in the stage that uses it, or drop the flag.`,
          location: lineOfCommand(ctx.ci, inv.source, inv.lineOffset ?? 0, [name]),
          evidence: { job: b.job.name, buildArg: name, dockerfile: b.dockerfilePath },
        }));
      }
    }
    return out;
  },
};
