// `docker build --cache-from IMAGE` uses only images already in the daemon (classic builder)
// or images carrying BuildKit cache metadata; in a fresh dind neither holds without a pull.
import type { Finding } from '../../types.js';
import type { StaticCheck } from '../types.js';
import { makeFinding, locateInvocation, fileLines } from '../finding.js';
import { pullTargets, normaliseVarRefs } from '../../shell/index.js';
import { mainInvocations } from './support/jobs.js';
import { code } from '../../../text/markdown.js';

export const RULE_ID = 'cache-from-not-pulled';

export const check: StaticCheck = {
  ruleId: RULE_ID,
  run(ctx) {
    const out: Finding[] = [];
    for (const b of ctx.builds) {
      const inv = b.build.invocation;
      if (inv.tool !== 'docker') continue;
      const refs = b.build.cacheFrom.filter((r) => !r.includes('type=') && !r.includes(','));
      if (refs.length === 0) continue;
      const inline = b.build.buildArgs.some((a) => a.name === 'BUILDKIT_INLINE_CACHE' && a.value !== '0');
      if (inline) continue;
      const invs = mainInvocations(b.job);
      const idx = invs.findIndex((i) => i.source === inv.source && i.indexInLine === inv.indexInLine);
      const pulled = new Set(invs.slice(0, idx < 0 ? invs.length : idx).flatMap(pullTargets).map(normaliseVarRefs));
      for (const ref of refs) {
        if (pulled.has(normaliseVarRefs(ref))) continue;
        const loc = locateInvocation(ctx.ci, inv);
        // A pull as its own script item just before the build's item.
        const itemLine = fileLines(ctx.ci, inv.source.pos.path)[inv.source.pos.line - 1] ?? '';
        const m = /^(\s*)- /.exec(itemLine);
        const edit = m && inv.source.section !== 'after_script'
          ? { path: inv.source.pos.path, startLine: inv.source.pos.line, endLine: inv.source.pos.line - 1, newLines: [`${m[1]}- docker pull ${ref} || true`] }
          : undefined;
        out.push(makeFinding(ctx, RULE_ID, {
          message: `Job ${code(b.job.name)} builds with ${code(`--cache-from ${ref}`)} but never pulls that image, and it sets no \`BUILDKIT_INLINE_CACHE=1\`: the cache is not used and every layer is rebuilt.`,
          location: loc,
          evidence: { job: b.job.name, cacheFrom: ref },
          ...(edit ? { fix: { description: 'Pull the cache image before the build (ignoring a missing one)', edits: [edit] } } : {}),
        }));
      }
    }
    return out;
  },
};
