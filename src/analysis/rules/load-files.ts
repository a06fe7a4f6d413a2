// The one file-reading edge of the rules engine: read rules/*.yml from directories.
// Validation itself is pure (parse-rule.ts). A later directory may override a built-in rule id.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleMeta } from './types.js';
import { parseRuleYaml, type RuleFileError } from './parse-rule.js';
import { ruleLinearTimeProblems } from './prove-linear.js';

export interface LoadedRules {
  rules: RuleMeta[];
  errors: RuleFileError[];
}

/** Read every `*.yml`/`*.yaml` in each directory (not recursive), in name order. */
export function loadRuleFiles(dirs: string[]): LoadedRules {
  const byId = new Map<string, RuleMeta>();
  const errors: RuleFileError[] = [];
  for (const dir of dirs) {
    // Built-in patterns are proven linear-time by the test suite; administrators' at load.
    const builtin = resolve(dir) === builtinRulesDir();
    let names: string[];
    try {
      if (!statSync(dir).isDirectory()) {
        errors.push({ path: dir, reason: 'not a directory' });
        continue;
      }
      names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
    } catch (err) {
      errors.push({ path: dir, reason: `cannot read directory: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      continue;
    }
    for (const name of names) {
      const path = join(dir, name);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (err) {
        errors.push({ path, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
        continue;
      }
      const parsed = parseRuleYaml(text, path);
      if ('error' in parsed) {
        errors.push({ path, reason: parsed.error });
        continue;
      }
      const slow = builtin ? [] : ruleLinearTimeProblems(parsed);
      if (slow.length > 0) errors.push({ path, reason: slow.join('; ') });
      else byId.set(parsed.id, parsed);
    }
  }
  return { rules: [...byId.values()].sort((a, b) => a.id.localeCompare(b.id)), errors };
}

/** The repository root: the nearest folder above this module holding package.json (works from src/ and dist/src/). */
export function repoRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${from}`);
    dir = up;
  }
}

/** The built-in rules/ directory shipped with ci-medic. */
export function builtinRulesDir(): string {
  return join(repoRoot(), 'rules');
}

/** Built-in rules plus administrators' directories (`--rules DIR`, `RULES_DIR`). */
export function loadAllRules(extraDirs: string[] = []): LoadedRules {
  return loadRuleFiles([builtinRulesDir(), ...extraDirs]);
}
