// BuildKit InvalidDefaultArgInFrom, judged per build: quiet when every job that builds the
// Dockerfile passes --build-arg for the FROM's default-less ARGs (BuildKit itself cannot know).
// Variables that no ARG declares are left to dockerfile-from-undeclared-arg.
import type { Finding } from '../../../types.js';
import type { StaticCheck } from '../../types.js';
import { warningToFinding } from '../../../dockerfile/lint.js';
import { buildViews, dedupe, warningsFor } from './shared.js';
import { code } from '../../../../text/markdown.js';

export const check: StaticCheck = {
  ruleId: 'dockerfile-from-arg-no-default',
  run(ctx) {
    const out: Finding[] = [];
    for (const view of buildViews(ctx)) {
      const declared = new Map(view.model.globalArgs.map((a) => [a.name, a]));
      for (const w of warningsFor(view, 'InvalidDefaultArgInFrom')) {
        const vars = (w.evidence?.variables as string[] | undefined) ?? [];
        if (vars.some((v) => !declared.has(v) && !/^(?:BUILD|TARGET)(?:PLATFORM|OS|ARCH|VARIANT)$/.test(v))) continue;
        // A CI job's --build-arg is seen and fills the ARG; a Dockerfile linted alone is judged on
        // its defaults, as BuildKit does (the --build-arg of one local build says nothing of others).
        const missing = vars.filter((v) => declared.get(v)?.defaultValue === undefined && !(view.jobBuild && view.buildArgs.has(v)));
        const noDefault = vars.filter((v) => declared.get(v)?.defaultValue === undefined);
        // Quiet only when the job fills every default-less ARG; an invalid default itself (`ARG SFX="box:"`) stays.
        if (noDefault.length > 0 && missing.length === 0) continue;
        const f = warningToFinding(view.model.path, w, ctx.meta);
        if (view.jobBuild && missing.length) {
          f.message += `. Job ${code(view.jobBuild.job.name)} passes no --build-arg for ${missing.join(', ')}.`;
          f.evidence = { ...f.evidence, job: view.jobBuild.job.name, missing };
        }
        out.push(f);
      }
    }
    return dedupe(out);
  },
};
