// The one data model shared by analysis, CLI, service and publisher.
// Nothing in src/analysis/ does I/O or imports the GitLab client.

export type Severity = 'error' | 'warning' | 'info';

/** A place in a repository file. Lines are 1-based. */
export interface Location {
  path: string;
  line: number;
  /** Last line of the range (inclusive); absent = single line. */
  endLine?: number;
}

/**
 * One text edit on a file: replace lines startLine..endLine (1-based, inclusive) with newLines.
 * An insertion before line N is { startLine: N, endLine: N - 1 }.
 */
export interface TextEdit {
  path: string;
  startLine: number;
  endLine: number;
  newLines: string[];
}

/** A fix is a list of edits (possibly in several files), each independently applicable. */
export interface Fix {
  /** One sentence: what the edits do ("Add `docker login` to before_script"). */
  description: string;
  edits: TextEdit[];
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  title: string;
  /** Markdown-safe plain text, one or two sentences specific to this occurrence. */
  message: string;
  location?: Location;
  /** BuildKit check name when the rule mirrors one (e.g. "UndefinedArgInFrom"). */
  buildkit?: string;
  /** 0-100: how well the evidence supports a diagnosed cause (log findings only). */
  confidence?: number;
  /** Free-form structured facts (job name, command, variable, log lines...). */
  evidence?: Record<string, unknown>;
  fix?: Fix;
}

/** Stable identity of a finding across pushes: rule, path and the content of the line. */
export function fingerprintOf(ruleId: string, path: string, lineText: string, extra = ''): string {
  return `${ruleId}|${path}|${lineText.trim()}|${extra}`;
}

/** An in-memory repository snapshot: path (relative, '/'-separated) -> file text. */
export type FileMap = Map<string, string>;
