// A Dockerfile instruction uses a GitLab CI variable ($CI_COMMIT_SHA...) that no ARG in the stage
// declares: at build time it is empty. Fix: `ARG CI_X` in that stage, and `--build-arg CI_X=$CI_X`
// on the job's docker build line.
import type { Finding, TextEdit } from '../../../types.js';
import type { StaticCheck } from '../../types.js';
import type { DockerfileModel } from '../../../dockerfile/types.js';
import { addBuildArgsEdit } from '../../../fixes/build-arg.js';
import { dedupe, isPredefinedCiVariable } from './shared.js';
import { code } from '../../../../text/markdown.js';

const RULE = 'ci-variable-in-dockerfile';

/** Names an ARG or ENV of this stage (or of a stage it is built from) declares before `line`. */
function declaredBefore(model: DockerfileModel, stage: number, line: number): Set<string> {
  const names = new Set<string>();
  const chain: number[] = [];
  for (let s: number | undefined = stage; s !== undefined && !chain.includes(s); s = model.stages[s]?.baseStage) chain.push(s);
  for (const ins of model.instructions ?? []) {
    if (!chain.includes(ins.stage) || ins.line >= line || (ins.keyword !== 'ARG' && ins.keyword !== 'ENV')) continue;
    for (const p of ins.props ?? []) names.add(p.name);
  }
  return names;
}

export const check: StaticCheck = {
  ruleId: RULE,
  run(ctx) {
    const out: Finding[] = [];
    for (const [path, model] of ctx.dockerfiles) {
      const meta = ctx.meta(RULE);
      for (const ins of model.instructions ?? []) {
        if (ins.stage < 0 || ins.keyword === 'FROM' || ins.keyword === 'ARG') continue;
        const declared = declaredBefore(model, ins.stage, ins.line);
        const uses = model.varUses.filter((u) => u.line >= ins.line && u.line <= ins.endLine && isPredefinedCiVariable(u.name) && !declared.has(u.name));
        const names = [...new Set(uses.map((u) => u.name))];
        if (names.length === 0) continue;
        const from = model.stages[ins.stage]!.line;
        const edits: TextEdit[] = [{ path, startLine: from + 1, endLine: from, newLines: names.map((n) => `ARG ${n}`) }];
        for (const jb of ctx.builds.filter((b) => b.dockerfilePath === path)) {
          const text = ctx.ci?.files.get(jb.build.invocation.source.pos.path);
          const e = text !== undefined ? addBuildArgsEdit(text, jb.build, names) : undefined;
          if (e && !edits.some((x) => x.path === e.path && x.startLine === e.startLine)) edits.push(e);
        }
        out.push({
          ruleId: RULE,
          severity: meta.severity,
          title: meta.title,
          message: `${ins.keyword} uses ${names.map((n) => code(`$${n}`)).join(', ')}, a GitLab CI variable that does not exist inside the build: it expands to an empty string. Declare ${code(`ARG ${names[0]}`)} in this stage and pass it with ${code(`--build-arg ${names[0]}=$${names[0]}`)}.`,
          location: { path, line: uses[0]!.line },
          evidence: { variables: names, instruction: ins.keyword },
          fix: { description: `Declare ${names.map((n) => `ARG ${n}`).join(', ')} in the stage and pass the value with --build-arg`, edits },
        });
      }
    }
    return dedupe(out);
  },
};
