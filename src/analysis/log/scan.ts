// One pass over a job log: every rule's patterns, the echoed command and docker step in force,
// context around each match, the job's last lines and its error-looking lines. Memory is bounded
// by the options, not by the log.
import type { RuleMeta } from '../rules/types.js';
import { CommandTracker } from './commands.js';
import { LogNormaliser, type NormaliseOptions } from './normalise.js';
import { compilePatterns, type CompiledPattern } from './patterns.js';
import { LiteralPrefilter } from './prefilter.js';
import { Ring } from './ring.js';
import type { LogLine, LogMatch, LogScanResult } from './types.js';

export interface ScanOptions extends NormaliseOptions {
  /** Lines kept before and after a match. */
  contextLines?: number;
  /** Last lines of the log kept for "no known cause". */
  tailLines?: number;
  /** Error-looking lines kept (the latest ones). */
  maxErrorLines?: number;
  /** Matches kept per pattern (the first ones). */
  maxMatchesPerPattern?: number;
  /** Matches kept in all. */
  maxMatches?: number;
}

export const ERROR_LIKE =
  /(?:^|[^A-Za-z])(?:error|fatal|failed|failure|denied|unauthorized|forbidden|exception|panic|cannot|can't|unable to|not found|no such|killed|timed out|timeout)(?:[^A-Za-z]|$)/i;

export function looksLikeError(text: string): boolean {
  return ERROR_LIKE.test(text);
}

interface PatternState {
  compiled: CompiledPattern;
  lastAfter?: LogLine;
  found: number;
}

interface PendingMatch {
  match: LogMatch;
  missingAfter: number;
}

function inSections(p: CompiledPattern, line: LogLine): boolean {
  return !p.sections || (line.section !== undefined && p.sections.has(line.section));
}

export async function scanLog(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  rules: readonly RuleMeta[],
  opts: ScanOptions = {},
): Promise<LogScanResult> {
  const contextLines = opts.contextLines ?? 3;
  const maxPerPattern = opts.maxMatchesPerPattern ?? 5;
  const maxMatches = opts.maxMatches ?? 100;
  const states: PatternState[] = compilePatterns(rules).patterns.map((compiled) => ({ compiled, found: 0 }));
  // Gate i: pattern i's regexes; the last gate: the error-looking test.
  const prefilter = new LiteralPrefilter([
    ...states.map(({ compiled: c }) => (c.after ? [c.match, c.after] : [c.match])),
    [ERROR_LIKE],
  ]);
  const errorGate = states.length;
  // Patterns tested even on lines without any fragment, in pattern order.
  const alwaysTested = states.filter((_s, i) => prefilter.alwaysOpen(i));
  const normaliser = new LogNormaliser(opts);
  const before = new Ring<LogLine>(contextLines);
  const tail = new Ring<LogLine>(opts.tailLines ?? 30);
  const errorLines = new Ring<LogLine>(opts.maxErrorLines ?? 40);
  const tracker = new CommandTracker();
  const matches: LogMatch[] = [];
  let pending: PendingMatch[] = [];

  const visit = (line: LogLine): void => {
    if (pending.length > 0) {
      for (const p of pending) {
        p.match.context.push(line);
        p.missingAfter--;
      }
      pending = pending.filter((p) => p.missingAfter > 0);
    }
    tracker.observe(line);
    if (line.text.length > 0) {
      const anyFragment = prefilter.scan(line.text);
      const candidates = anyFragment ? states : alwaysTested;
      for (let i = 0; i < candidates.length; i++) {
        const state = candidates[i]!;
        if (anyFragment && !prefilter.mayMatch(i)) continue;
        const found = testPattern(state, line, maxPerPattern);
        if (!found || matches.length >= maxMatches) continue;
        const match: LogMatch = {
          ruleId: state.compiled.ruleId,
          patternId: state.compiled.pattern.id,
          line,
          context: [...before.toArray(), line],
          confidence: state.compiled.confidence,
        };
        if (found !== true) match.afterLine = found;
        if (tracker.command) match.command = tracker.command;
        if (tracker.dockerStep) match.dockerStep = tracker.dockerStep;
        matches.push(match);
        if (contextLines > 0) pending.push({ match, missingAfter: contextLines });
      }
      if (prefilter.mayMatch(errorGate) && looksLikeError(line.text)) errorLines.push(line);
    }
    before.push(line);
    tail.push(line);
  };

  for await (const chunk of chunks) {
    for (const line of normaliser.push(chunk)) visit(line);
    if (normaliser.done) break;
  }
  for (const line of normaliser.end()) visit(line);
  const stats = normaliser.stats;
  const skipped = opts.skippedBytes ?? 0;

  return {
    matches,
    tail: tail.toArray(),
    errorLines: errorLines.toArray(),
    totalLines: stats.totalLines,
    totalBytes: stats.totalBytes,
    truncated: stats.truncated || skipped > 0 ? { keptBytes: stats.totalBytes, totalBytes: skipped + stats.totalBytes } : false,
  };
}

/** true for a single-line hit, the `after` line for a sequence hit, undefined for none. */
function testPattern(state: PatternState, line: LogLine, maxPerPattern: number): LogLine | true | undefined {
  const p = state.compiled;
  if (state.found >= maxPerPattern || !inSections(p, line)) return undefined;
  let hit: LogLine | true | undefined;
  if (p.after) {
    const after = state.lastAfter;
    if (after && line.number - after.number <= p.within && p.match.test(line.text)) hit = after;
    // The same line may open a new window (a second `$ docker push`).
    if (p.after.test(line.text)) state.lastAfter = line;
  } else if (p.match.test(line.text)) hit = true;
  if (hit === undefined) return undefined;
  state.found++;
  return hit;
}
