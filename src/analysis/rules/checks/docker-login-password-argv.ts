// `docker login -p SECRET`: the password lands in the process list and shell history.
import type { Finding, TextEdit } from '../../types.js';
import type { CheckContext, StaticCheck } from '../types.js';
import type { DockerLogin } from '../../shell/types.js';
import { parseDockerLogin } from '../../shell/index.js';
import { makeFinding, locateInvocation, fileLines } from '../finding.js';
import { mainInvocations } from './support/jobs.js';
import { firstPerKey, lineKey } from './support/first-per-key.js';
import { code } from '../../../report/markdown/safe.js';

export const RULE_ID = 'docker-login-password-argv';

const PASSWORD_FLAG = /\s(-p|--password)(=|\s+)("[^"]*"|'[^']*'|[^\s"';|&]+)/;

/** The variable a literal password moves to: the fix must never repeat the secret. */
export const PASSWORD_VARIABLE = 'REGISTRY_PASSWORD';

const VARIABLE_REF = /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})$/;

/**
 * Rewrite `docker login ... -p X ...` on one file line as `echo -n "X" | docker login ... --password-stdin ...`
 * when X is a variable reference, or as `echo -n "$REGISTRY_PASSWORD" | ...` when X is a literal
 * password (which then has to be rotated). Only when the line holds exactly one login, written plainly.
 */
function stdinEdit(ctx: CheckContext, login: DockerLogin, path: string, line: number): { edit: TextEdit; literal: boolean } | undefined {
  const text = fileLines(ctx.ci, path)[line - 1];
  if (text === undefined) return undefined;
  const cli = login.invocation.tool === 'buildx' ? 'docker' : login.invocation.tool;
  const loginAt = text.indexOf(`${cli} login`);
  if (loginAt < 0 || text.indexOf(`${cli} login`, loginAt + 1) >= 0) return undefined;
  const m = PASSWORD_FLAG.exec(text.slice(loginAt));
  if (!m) return undefined;
  const secret = m[3]!.replace(/^["']|["']$/g, '');
  if (secret.includes('"') || secret === '') return undefined;
  const start = loginAt + m.index;
  const literal = !VARIABLE_REF.test(secret);
  const value = literal ? `$${PASSWORD_VARIABLE}` : secret;
  const rewritten = text.slice(0, loginAt) + `echo -n "${value}" | ` + text.slice(loginAt, start) + ' --password-stdin' + text.slice(start + m[0].length);
  return { edit: { path, startLine: line, endLine: line, newLines: [rewritten] }, literal };
}

export const check: StaticCheck = {
  ruleId: RULE_ID,
  run(ctx) {
    const out: Finding[] = [];
    const isFirst = firstPerKey();
    for (const job of ctx.ci?.jobs ?? []) {
      for (const inv of mainInvocations(job)) {
        const login = parseDockerLogin(inv);
        if (!login || login.passwordArgv === undefined || login.passwordStdin) continue;
        const loc = locateInvocation(ctx.ci, inv);
        if (!isFirst(lineKey(loc))) continue;
        // Only a line that is the start of the pipeline can take an `echo |` in front.
        const stdin = inv.prev === '|' ? undefined : stdinEdit(ctx, login, loc.path, loc.line);
        const literal = stdin?.literal ?? !VARIABLE_REF.test(login.passwordArgv.replace(/^["']|["']$/g, ''));
        const rotate = literal
          ? ` The password is written in the file, so everyone who can read the repository has it: rotate it, and store the new one as a masked CI/CD variable ${code(PASSWORD_VARIABLE)}${stdin ? ', which the suggestion reads' : ''}.`
          : '';
        out.push(makeFinding(ctx, RULE_ID, {
          message: `${code(`${inv.tool === 'buildx' ? 'docker' : inv.tool} login`)} takes the password on the command line (\`-p\`), where it shows in the process list; pipe it in with \`--password-stdin\`.${rotate}`,
          location: loc,
          evidence: { job: job.name },
          ...(stdin ? { fix: { description: `Pass the password on stdin with \`--password-stdin\`${stdin.literal ? ` from ${code(`$${PASSWORD_VARIABLE}`)}` : ''}`, edits: [stdin.edit] } } : {}),
        }));
      }
    }
    return out;
  },
};
