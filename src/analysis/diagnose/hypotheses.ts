// Weighs each candidate cause (the best match of one rule) against the facts of the whole log.
// Evidence for raises its confidence, evidence against lowers it or hands the failure to a
// better-supported cause; every adjustment is kept as a sentence so the note can say why.
import type { LogLine, LogMatch } from '../log/types.js';
import { imageRegistryHost, DOCKER_HUB } from '../shell/registry.js';
import { code as inlineCode } from '../../text/markdown.js';
import { redact } from '../../text/redact.js';
import type { JobFacts, Login } from './facts.js';
import { echoedCommandText } from './job-command.js';

/** The note leads with a cause only at or above this confidence; below it says "no known cause". */
export const LEAD_THRESHOLD = 60;

export type HypothesisStatus = 'lead' | 'kept' | 'weak' | 'dropped';

export interface Hypothesis {
  ruleId: string;
  /** 0-100 after weighing the evidence. */
  confidence: number;
  /** The pattern's own confidence, before the evidence. */
  base: number;
  patternId: string;
  line: number;
  for: string[];
  against: string[];
  status: HypothesisStatus;
  /** The cause this one handed the failure to, when the evidence pointed elsewhere. */
  replacedBy?: string;
}

export interface Weighed {
  match: LogMatch;
  hypothesis: Hypothesis;
}

const WARNING = /^\W{0,4}warn(ing)?\b/i;
const WAIT_LOOP = /^\$?\s*(until|while|for)\b|\bsleep\b|\bwait-for|--retry\b/;
const DIND_RULE = /^dind-/;
const DAEMON_RULES = new Set(['dind-unreachable', 'dind-tls-mismatch', 'dind-version-mismatch']);
const REGISTRY_DENIAL_RULES = new Set(['registry-login-missing']);

function clamp(n: number): number {
  return Math.max(0, Math.min(100, Math.round(n)));
}

function code(text: string): string {
  return inlineCode(redact(text.length > 200 ? `${text.slice(0, 200)}…` : text));
}

function commandOf(l: LogLine): string {
  return echoedCommandText(l.text.trim());
}

export function inWaitLoop(m: LogMatch): boolean {
  return m.command !== undefined && WAIT_LOOP.test(commandOf(m.command));
}

function hostLabel(host: string): string {
  return host === DOCKER_HUB ? 'Docker Hub' : inlineCode(host);
}

/** The repository a push or pull addressed: `The push refers to repository [...]`, else the command's image. */
export function addressedRepository(m: LogMatch, facts: JobFacts): { repo: string; line?: LogLine } | undefined {
  const from = m.command?.number ?? m.line.number - 60;
  const refers = facts.pushRefers.filter((l) => l.number >= from && l.number <= m.line.number).at(-1);
  const inContext = m.context.find((l) => /The push refers to (a )?repository \[/.test(l.text));
  const line = refers ?? inContext;
  if (line) {
    const repo = /\[([^\]\s]{1,300})\]/.exec(line.text)?.[1];
    if (repo) return { repo, line };
  }
  const cmd = m.command ? commandOf(m.command) : '';
  const image = pushedOrPulledImage(cmd);
  return image ? { repo: image.replace(/^["']|["']$/g, '') } : undefined;
}

export interface Alternative {
  ruleId: string;
  confidence: number;
  reason: string;
}

interface Judgement {
  confidence: number;
  for: string[];
  against: string[];
  alternative?: Alternative;
}

/** A registry denial after a successful login is not a missing login: name what else it is. */
function weighLoginMissing(m: LogMatch, facts: JobFacts, j: Judgement): void {
  const before = facts.logins.filter((l) => l.command.number < m.line.number);
  if (before.length === 0) {
    if (facts.logins.length === 0 && facts.commands.length > 0) j.for.push(`no ${inlineCode('docker login')} ran in the job before the denial`);
    return;
  }
  const target = addressedRepository(m, facts);
  const targetHost = target ? imageRegistryHost(target.repo) : undefined;
  const ok = before.filter((l) => l.succeeded);
  if (ok.length === 0) {
    const last = before.at(-1)!;
    j.against.push(`a login ran at line ${last.command.number} (${code(commandOf(last.command))}) but the log does not show it succeed`);
    j.confidence -= 20;
    return;
  }
  // The login that covers the target: same registry, or one we cannot tell apart.
  const covering = ok.filter((l) => targetHost === undefined || sameRegistry(l, targetHost));
  if (covering.length === 0) {
    const l = ok.at(-1)!;
    if (l.host === DOCKER_HUB && targetHost !== DOCKER_HUB) {
      j.for.push(`the login at line ${l.command.number} went to Docker Hub (no registry given), not to ${hostLabel(targetHost!)}`);
      return;
    }
    j.against.push(`a login to ${hostLabel(l.host)} succeeded at line ${l.succeeded!.number}`);
    j.confidence -= 50;
    j.alternative = {
      ruleId: 'registry-push-target-mismatch',
      confidence: 88,
      reason: `${code(commandOf(l.command))} succeeded at line ${l.succeeded!.number}, so the denial is not a missing login: the image goes to ${hostLabel(targetHost!)}${target ? ` (${code(target.repo)})` : ''}, a registry the job did not log in to.`,
    };
    return;
  }
  const l = covering.at(-1)!;
  j.against.push(`${code(commandOf(l.command))} succeeded at line ${l.succeeded!.number}`);
  j.confidence -= 50;
  if (target) {
    j.alternative = {
      ruleId: 'registry-push-target-mismatch',
      confidence: 65,
      reason: `${code(commandOf(l.command))} to ${hostLabel(l.host)} succeeded at line ${l.succeeded!.number}, so the denial is not a missing login: the credentials cannot write to ${code(target.repo)}.`,
    };
  }
}

const TARGET_MISMATCH = 'registry-push-target-mismatch';

/** "Pushed to a registry other than the one logged in to" needs a login to another registry. */
function weighTargetMismatch(m: LogMatch, facts: JobFacts, j: Judgement): void {
  const before = facts.logins.filter((l) => l.command.number < m.line.number);
  if (before.length === 0) {
    j.against.push('no login shows in the log, so nothing says the job logged in to another registry than the one it pushed to');
    j.confidence -= 35;
    return;
  }
  const target = addressedRepository(m, facts);
  const targetHost = target ? imageRegistryHost(target.repo) : undefined;
  if (targetHost !== undefined && before.every((l) => l.host === targetHost)) {
    j.against.push(`the job logged in to ${hostLabel(targetHost)}, the registry it pushed to`);
    j.confidence -= 45;
    return;
  }
  const other = before.find((l) => targetHost === undefined || l.host !== targetHost);
  if (other) j.for.push(`the job logged in to ${hostLabel(other.host)} at line ${other.command.number}${targetHost ? `, but pushed to ${hostLabel(targetHost)}` : ''}`);
}

function sameRegistry(l: Login, targetHost: string): boolean {
  if (l.host === targetHost) return true;
  // A variable on one side and a literal host on the other may be the same registry.
  const isVar = (h: string): boolean => h.startsWith('$');
  return (isVar(l.host) && targetHost !== DOCKER_HUB) || (isVar(targetHost) && l.host !== DOCKER_HUB);
}

/** Facts that weigh on any cause: the job's verdict, where the line sits, what ran after it. */
export function weigh(m: LogMatch, facts: JobFacts, all: readonly LogMatch[]): Judgement {
  const j: Judgement = { confidence: m.confidence, for: [], against: [] };
  if (facts.jobSucceeded) {
    j.against.push(`the job succeeded (line ${facts.jobSucceeded.number}): nothing here failed it`);
    j.confidence = 0;
    return j;
  }
  if (facts.serviceLines.has(m.line.number)) {
    const daemonFailed = all.some((o) => DAEMON_RULES.has(o.ruleId) && !facts.serviceLines.has(o.line.number));
    if (DIND_RULE.test(m.ruleId) && daemonFailed) j.for.push('the service log explains why the job could not reach the Docker daemon');
    else {
      j.against.push(`line ${m.line.number} is the service container's log, not the job's`);
      j.confidence -= 40;
    }
  }
  if (facts.afterScriptAt !== undefined && m.line.number >= facts.afterScriptAt) {
    j.against.push(`printed in after_script (from line ${facts.afterScriptAt}), which runs after the job's result is decided`);
    j.confidence -= 40;
  }
  const last = facts.lastScriptCommand;
  if (m.command && last) {
    if (last.number > m.command.number && last.number > m.line.number) {
      // A warning never stops a job: what it warns about shows later, so going on is expected.
      if (WARNING.test(m.line.text.trim())) {
        j.against.push(`only a warning: the job went on to run ${code(commandOf(last))} (line ${last.number})`);
        j.confidence -= 5;
      } else {
        j.against.push(`the job went on to run ${code(commandOf(last))} (line ${last.number}), so this did not stop it`);
        j.confidence -= 30;
      }
    } else if (last.number === m.command.number && facts.jobFailed) {
      j.for.push(`${code(commandOf(last))} is the job's last command (line ${last.number}) and the job failed after it`);
      j.confidence += 5;
    }
  }
  if (inWaitLoop(m)) {
    const lasting = all.some((o) => o !== m && !inWaitLoop(o));
    j.against.push('printed while a wait loop polled for a service that was still starting');
    j.confidence -= lasting ? 60 : 15;
  }
  if (m.ruleId === 'job-oom-killed' && facts.exitCode === 137) j.for.push('the job failed with exit code 137 (SIGKILL)');
  if (REGISTRY_DENIAL_RULES.has(m.ruleId)) weighLoginMissing(m, facts, j);
  if (m.ruleId === TARGET_MISMATCH) weighTargetMismatch(m, facts, j);
  j.confidence = clamp(j.confidence);
  return j;
}

export function statusOf(confidence: number): HypothesisStatus {
  if (confidence <= 0) return 'dropped';
  return confidence >= LEAD_THRESHOLD ? 'kept' : 'weak';
}

/**
 * The image word of `docker push|pull [flags] IMAGE`: the first word after the verb that is not a
 * flag, where a flag without `=` takes the next word as its value when another word follows it.
 * A word scan, so that no regex backtracks over hostile command lines.
 */
function pushedOrPulledImage(cmd: string): string | undefined {
  const words = cmd.split(/\s+/).filter((w) => w !== '');
  const verb = words.findIndex((w) => w === 'push' || w === 'pull');
  if (verb < 0) return undefined;
  for (let i = verb + 1; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('-')) return w.slice(0, 301);
    const takesValue = !w.includes('=') && i + 2 < words.length && !words[i + 1]!.startsWith('-');
    if (takesValue) i++;
  }
  return undefined;
}
