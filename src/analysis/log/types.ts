// What the streaming log scanner reports.

export interface LogLine {
  /** 1-based line number as GitLab numbers the job log (anchor `#L<n>`). */
  number: number;
  text: string;
  /** Innermost open section (`step_script`, `after_script`, `prepare_executor`, ...), if any. */
  section?: string;
}

export interface LogMatch {
  ruleId: string;
  patternId: string;
  line: LogLine;
  /** The line that satisfied `after`, for sequence patterns. */
  afterLine?: LogLine;
  /** A few lines before and after the match. */
  context: LogLine[];
  /** The last runner-echoed command (`$ docker push ...`) before the match, if any. */
  command?: LogLine;
  /** The last `Step N/M : INSTR ...` / `#N [stage x/y] INSTR ...` line before the match. */
  dockerStep?: LogLine;
  confidence: number;
}

export interface LogScanResult {
  matches: LogMatch[];
  /** Last lines of the log (bounded), for "no known cause". */
  tail: LogLine[];
  /** Lines that look like errors (ERROR:, error:, fatal:, denied ...), bounded. */
  errorLines: LogLine[];
  totalLines: number;
  totalBytes: number;
  /**
   * false when the whole log was read. Otherwise how much was: `keptBytes` of `totalBytes` (the
   * size when the caller knew it and skipped the start, else the bytes seen when the limit hit).
   */
  truncated: false | LogTruncation;
}

export interface LogTruncation {
  keptBytes: number;
  totalBytes: number;
}
