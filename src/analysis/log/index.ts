export { scanLog, looksLikeError, type ScanOptions } from './scan.js';
export { normaliseLog, stripAnsi, DEFAULT_MAX_BYTES, DEFAULT_MAX_LINE_CHARS, type NormaliseOptions, type NormaliseStats } from './normalise.js';
export { compilePatterns, compileRegex, type CompiledPattern, type PatternError } from './patterns.js';
export { isDockerStep, isEchoedCommand } from './commands.js';
export type { LogLine, LogMatch, LogScanResult } from './types.js';
