// What the whole log says about the job, independent of any one cause: the commands that ran,
// the last one (the one that failed), logins and whether they succeeded, the repository a push
// addressed, completed pushes and pulls, the runner's verdict and exit code, and where service
// logs and after_script begin. Hypotheses are weighed against these facts.
import type { LogLine, LogMatch, LogScanResult } from '../log/types.js';
import { loginRegistryHost } from '../shell/registry.js';
import { evidenceMatches, isEvidenceMatch } from './evidence-patterns.js';
import { echoedCommandText } from './job-command.js';

export interface Login {
  command: LogLine;
  /** Normalised registry (`$CI_REGISTRY`, `docker.io`, a host). */
  host: string;
  /** The `Login Succeeded` line that answered it, if any. */
  succeeded?: LogLine;
}

export interface JobFacts {
  /** Every runner-echoed command seen (bounded by what the scan kept), in log order. */
  commands: LogLine[];
  /** The last command of the job's script (before_script/script), the one that stopped it. */
  lastScriptCommand?: LogLine;
  logins: Login[];
  pushRefers: LogLine[];
  pushesDone: LogLine[];
  pullsDone: LogLine[];
  jobSucceeded?: LogLine;
  jobFailed?: LogLine;
  exitCode?: number;
  /** First line of after_script: commands from here on ran after the failure. */
  afterScriptAt?: number;
  /** Lines that are a service container's log (dind), not the job's. */
  serviceLines: Set<number>;
}

const ECHOED = /^\s{0,4}\$ \S/;
const SCRIPT_SECTIONS = new Set(['step_script', 'build_script', 'before_script', 'script']);
const LOGIN_HOST = /\b(?:docker|podman|buildah|skopeo|crane|nerdctl) (?:auth )?login\b/;

/** The registry argument of a login command: the first word that is not an option or its value. */
export function loginHost(command: string): string {
  const m = LOGIN_HOST.exec(command);
  if (!m) return loginRegistryHost(undefined);
  const words = command.slice(m.index + m[0].length).trim().split(/\s+/).filter((w) => w !== '');
  const valued = new Set(['-u', '--username', '-p', '--password', '--authfile', '--cert-dir']);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (/^[|;&]/.test(w)) break;
    if (valued.has(w)) { i++; continue; }
    if (w.startsWith('-')) continue;
    return loginRegistryHost(w.replace(/^["']|["']$/g, ''));
  }
  return loginRegistryHost(undefined);
}

function allLines(scan: LogScanResult): LogLine[] {
  const byNumber = new Map<number, LogLine>();
  const add = (l: LogLine | undefined): void => { if (l) byNumber.set(l.number, l); };
  for (const m of scan.matches) {
    add(m.line);
    add(m.command);
    add(m.afterLine);
    for (const c of m.context) add(c);
  }
  for (const l of scan.tail) add(l);
  for (const l of scan.errorLines) add(l);
  return [...byNumber.values()].sort((a, b) => a.number - b.number);
}

function isScriptCommand(l: LogLine, afterScriptAt: number | undefined): boolean {
  if (afterScriptAt !== undefined && l.number >= afterScriptAt) return false;
  return l.section === undefined || SCRIPT_SECTIONS.has(l.section);
}

export function jobFacts(scan: LogScanResult): JobFacts {
  const ev = evidenceMatches(scan);
  const lines = allLines(scan);
  const first = (k: Parameters<typeof ev.get>[0]): LogMatch | undefined => ev.get(k)?.[0];
  const facts: JobFacts = {
    commands: lines.filter((l) => ECHOED.test(l.text)),
    logins: [],
    pushRefers: (ev.get('push-refers') ?? []).map((m) => m.line),
    pushesDone: (ev.get('push-done') ?? []).map((m) => m.line),
    pullsDone: (ev.get('pull-done') ?? []).map((m) => m.line),
    serviceLines: new Set(),
  };
  // The verdict is in the last lines; the evidence pattern sees it even in a long tail-less scan.
  const verdictLines = [...scan.tail, ...(ev.get('job-succeeded') ?? []).map((m) => m.line), ...(ev.get('job-failed') ?? []).map((m) => m.line)];
  const succeeded = verdictLines.find((l) => /^\s{0,4}Job succeeded\s*$/.test(l.text));
  const failed = verdictLines.find((l) => /^\s{0,4}ERROR: Job failed\b/.test(l.text));
  if (succeeded && !failed) facts.jobSucceeded = succeeded;
  if (failed) {
    facts.jobFailed = failed;
    const code = /exit (?:code|status) (\d{1,3})\b/.exec(failed.text);
    if (code) facts.exitCode = Number(code[1]);
  }
  const after = first('after-script')?.line ?? lines.find((l) => /^\s{0,4}Running after.script/.test(l.text)) ?? lines.find((l) => l.section === 'after_script');
  if (after) facts.afterScriptAt = after.number;

  const loginCommands = new Map<number, LogLine>();
  for (const m of ev.get('login-command') ?? []) loginCommands.set(m.line.number, m.line);
  for (const l of facts.commands) if (LOGIN_HOST.test(l.text)) loginCommands.set(l.number, l);
  const oks = (ev.get('login-succeeded') ?? []).map((m) => m.line);
  for (const l of lines) if (/^\s{0,4}Login Succeeded/.test(l.text) && !oks.some((o) => o.number === l.number)) oks.push(l);
  const sortedLogins = [...loginCommands.values()].sort((a, b) => a.number - b.number);
  sortedLogins.forEach((command, i) => {
    const next = sortedLogins[i + 1]?.number ?? Number.POSITIVE_INFINITY;
    const ok = oks.find((o) => o.number > command.number && o.number < next && o.number - command.number <= 30);
    const login: Login = { command, host: loginHost(echoedCommandText(command.text.trim())) };
    if (ok) login.succeeded = ok;
    facts.logins.push(login);
  });

  const scriptCommands = facts.commands.filter((l) => isScriptCommand(l, facts.afterScriptAt));
  const last = scriptCommands.at(-1);
  if (last) facts.lastScriptCommand = last;

  // A service's log: lines the runner prefixes `[service:...]`, and the block after its
  // "probably didn't start properly" warning up to the first job command.
  for (const m of ev.get('service-log') ?? []) facts.serviceLines.add(m.line.number);
  for (const l of lines) if (/^\s{0,4}\[service:[^\]]{1,200}\] /.test(l.text)) facts.serviceLines.add(l.number);
  const warn = first('service-warning')?.line ?? lines.find((l) => /\*\*\* WARNING: Service .{1,300} probably didn't start properly/.test(l.text));
  if (warn) {
    const starts = [...(ev.get('script-start') ?? []).map((m) => m.line), ...facts.commands, ...lines.filter((l) => /^\s{0,4}(Executing "(step|build)_script"|Preparing environment|Getting source from Git|Running on )/.test(l.text))];
    const end = Math.min(...starts.filter((l) => l.number > warn.number).map((l) => l.number), Number.POSITIVE_INFINITY);
    for (const l of lines) if (l.number > warn.number && l.number < end) facts.serviceLines.add(l.number);
  }
  return facts;
}

/** Matches of real rules (the evidence patterns are not causes). */
export function causeMatches(scan: LogScanResult): LogMatch[] {
  return scan.matches.filter((m) => !isEvidenceMatch(m));
}
