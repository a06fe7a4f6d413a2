// Lines that are not causes but weigh for or against one: a login that succeeded, the repository
// a push addressed, a completed push or pull, the job's own verdict. They ride along in the same
// single scan as the rules' patterns (an internal rule the findings never show), so the whole log
// is seen without a second pass.
import type { LogMatch, LogScanResult } from '../log/types.js';
import type { LogPattern, RuleMeta } from '../rules/types.js';

/** Internal rule id; never a finding, never in the rules table. */
export const EVIDENCE_RULE_ID = 'ci-medic-evidence';

export type EvidenceKind =
  | 'login-command'
  | 'login-succeeded'
  | 'push-refers'
  | 'push-done'
  | 'pull-done'
  | 'job-succeeded'
  | 'job-failed'
  | 'after-script'
  | 'script-start'
  | 'service-warning'
  | 'service-log';

const PATTERNS: Array<{ id: EvidenceKind; regex: string; flags?: string }> = [
  // `$ docker login ...`, `$ echo "$T" | docker login ...`, podman/buildah/skopeo/crane alike.
  { id: 'login-command', regex: '^\\s{0,4}\\$ [^\\n]{0,400}\\b(docker|podman|buildah|skopeo|crane|nerdctl) (auth )?login\\b' },
  { id: 'login-succeeded', regex: '^\\s{0,4}Login Succeeded' },
  { id: 'push-refers', regex: '^\\s{0,4}The push refers to (a )?repository \\[' },
  { id: 'push-done', regex: ': digest: sha256:[0-9a-f]{64} size: \\d' },
  { id: 'pull-done', regex: '^\\s{0,4}Status: (Downloaded newer image|Image is up to date) for ' },
  { id: 'job-succeeded', regex: '^\\s{0,4}Job succeeded\\s*$' },
  { id: 'job-failed', regex: '^\\s{0,4}ERROR: Job failed\\b' },
  { id: 'script-start', regex: '^\\s{0,4}Executing "(step|build)_script" stage' },
  { id: 'after-script', regex: '^\\s{0,4}Running after.script' },
  { id: 'service-warning', regex: "\\*\\*\\* WARNING: Service [^\\n]{1,300} probably didn't start properly" },
  // Service container logs as the runner prefixes them (CI_DEBUG_SERVICES).
  { id: 'service-log', regex: '^\\s{0,4}\\[service:[^\\]]{1,200}\\] ' },
];

const RULE: RuleMeta = {
  id: EVIDENCE_RULE_ID,
  title: 'evidence',
  severity: 'info',
  explain: '',
  docs: '',
  seenIn: ['log'],
  log: PATTERNS.map((p): LogPattern => ({ id: p.id, match: { regex: p.regex, ...(p.flags ? { flags: p.flags } : {}) }, confidence: 0 })),
  source: '(built in)',
};

/** The rules to scan a log with when it is to be diagnosed: the given ones plus the evidence lines. */
export function withEvidencePatterns(rules: readonly RuleMeta[]): RuleMeta[] {
  return rules.some((r) => r.id === EVIDENCE_RULE_ID) ? [...rules] : [...rules, RULE];
}

export function isEvidenceMatch(m: LogMatch): boolean {
  return m.ruleId === EVIDENCE_RULE_ID;
}

/** Evidence lines by kind, in log order. Scans made without the evidence patterns yield none. */
export function evidenceMatches(scan: LogScanResult): Map<EvidenceKind, LogMatch[]> {
  const out = new Map<EvidenceKind, LogMatch[]>();
  for (const m of scan.matches) {
    if (!isEvidenceMatch(m)) continue;
    const kind = m.patternId as EvidenceKind;
    const list = out.get(kind) ?? [];
    list.push(m);
    out.set(kind, list);
  }
  return out;
}
