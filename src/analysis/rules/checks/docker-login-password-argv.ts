// `docker login -p SECRET`: the password lands in the process list and shell history.
import { code } from '../../../text/markdown.js';
import type { Finding, TextEdit } from '../../types.js';
import type { CheckContext, StaticCheck } from '../types.js';
import type { DockerLogin } from '../../shell/types.js';
import { parseDockerLogin } from '../../shell/index.js';
import { makeFinding, locateInvocation, fileLines } from '../finding.js';
import { mainInvocations } from './support/jobs.js';
import { firstPerKey, lineKey } from './support/first-per-key.js';

export const RULE_ID = 'docker-login-password-argv';

const PASSWORD_FLAG = /\s(-p|--password)(=|\s+)("[^"]*"|'[^']*'|[^\s"';|&]+)/;

/**
 * Rewrite `docker login ... -p X ...` on one file line as `echo -n "X" | docker login ... --password-stdin ...`.
 * Only when the line holds exactly one login, written plainly.
 */
function stdinEdit(ctx: CheckContext, login: DockerLogin, path: string, line: number): TextEdit | undefined {
  const text = fileLines(ctx.ci, path)[line - 1];
  if (text === undefined) return undefined;
  const cli = login.invocation.tool === 'buildx' ? 'docker' : login.invocation.tool;
  const loginAt = text.indexOf(`${cli} login`);
  if (loginAt < 0 || text.indexOf(`${cli} login`, loginAt + 1) >= 0) return undefined;
  const m = PASSWORD_FLAG.exec(text.slice(loginAt));
  if (!m) return undefined;
  const written = m[3]!.replace(/^["']|["']$/g, '');
  if (written.includes('"') || written === '') return undefined;
  // A password written into the file is never copied into a suggestion: it becomes a variable.
  const secret = isLiteralSecret(written) ? `$${LITERAL_SECRET_VARIABLE}` : written;
  const start = loginAt + m.index;
  const rewritten = text.slice(0, loginAt) + `echo -n "${secret}" | ` + text.slice(loginAt, start) + ' --password-stdin' + text.slice(start + m[0].length);
  return { path, startLine: line, endLine: line, newLines: [rewritten] };
}

/** Where the fix reads a password that was written literally in the file (a masked CI/CD variable to create). */
export const LITERAL_SECRET_VARIABLE = 'REGISTRY_PASSWORD';

function isLiteralSecret(value: string): boolean {
  return !value.includes('$');
}

/** The password flag exactly as written: `-p`, `-pSECRET`, `--password VALUE` or `--password=VALUE`. */
export function passwordFlagForm(args: readonly string[]): string {
  for (const a of args) {
    if (a === '-p' || a === '--password') return a;
    if (a.startsWith('--password=')) return '--password=';
    if (/^-p./.test(a)) return '-p';
  }
  return '-p';
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
        if (!isFirst(`${job.name}@${lineKey(loc)}`)) continue;
        // Only a line that is the start of the pipeline can take an `echo |` in front.
        const edit = inv.prev === '|' ? undefined : stdinEdit(ctx, login, loc.path, loc.line);
        const cli = inv.tool === 'buildx' ? 'docker' : inv.tool;
        const form = passwordFlagForm(inv.args);
        const literal = isLiteralSecret(login.passwordArgv);
        const rotate = literal
          ? ` The password is written in the file itself: rotate it, and store the new one as a masked CI/CD variable ${code(LITERAL_SECRET_VARIABLE)}.`
          : '';
        out.push(makeFinding(ctx, RULE_ID, {
          message: `Job ${code(job.name)} passes the password to ${code(`${cli} login`)} on the command line (${code(form)}), where it shows in the process list; pipe it in with \`--password-stdin\`.${rotate}`,
          location: loc,
          evidence: { job: job.name, flag: form, ...(literal ? { literalPassword: true } : {}) },
          ...(edit ? { fix: { description: literal ? `Read the password from \`$${LITERAL_SECRET_VARIABLE}\` on stdin with \`--password-stdin\`` : 'Pass the password on stdin with `--password-stdin`', edits: [edit] } } : {}),
        }));
      }
    }
    return out;
  },
};
