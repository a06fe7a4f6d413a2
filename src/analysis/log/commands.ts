// Which command a log line belongs to: the runner echoes each script line as `$ <command>`, and
// docker builds print their steps (`Step 2/4 : RUN ...` classic, `#5 [2/3] RUN ...` BuildKit,
// `> [build 1/3] FROM ...` in BuildKit's error summary).
import type { LogLine } from './types.js';

const ECHOED_COMMAND = /^\$ \S/;
// Anchored at the start, so `[^\]]+` is tried from one position only.
const DOCKER_STEP = /^(?:Step \d+\/\d+ : |#\d+ \[[^\]]+\] |\s*> \[[^\]]+\] )/;

// Both run on every line: a first-character check spares the regex on almost all of them.
export function isEchoedCommand(text: string): boolean {
  return text.charCodeAt(0) === 36 /* $ */ && ECHOED_COMMAND.test(text);
}

export function isDockerStep(text: string): boolean {
  const c = text.charCodeAt(0);
  // `S`, `#`, `>`, or possibly `\s` (every `\s` character is <= 32 or non-ASCII).
  return (c === 83 || c === 35 || c === 62 || c <= 32 || c >= 128) && DOCKER_STEP.test(text);
}

export class CommandTracker {
  command?: LogLine;
  dockerStep?: LogLine;

  observe(line: LogLine): void {
    if (isEchoedCommand(line.text)) {
      this.command = line;
      // A step printed by an earlier build says nothing about the next command.
      this.dockerStep = undefined;
    } else if (isDockerStep(line.text)) {
      this.dockerStep = line;
    }
  }
}
