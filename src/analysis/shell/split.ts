// A small POSIX-shell reader: enough to find simple commands in CI script entries.
// It does not evaluate anything; it keeps quotes out of words and variables as written.

/** The operator that follows a command (what decides whether the next one runs). */
export type CommandJoin = '&&' | '||' | ';' | '|' | '&' | 'newline' | 'end';

export interface ShellCommand {
  /** Words with quotes removed; `$VAR`, `${VAR}` and `$(...)` kept as written. */
  words: string[];
  /** The command's source text (trimmed). */
  text: string;
  /** 0-based line of the command's first word within the script entry (for block scalars). */
  lineOffset: number;
  /** Operator after this command. */
  next: CommandJoin;
  /** Operator before this command ('end' for the first one). */
  prev: CommandJoin;
}

// Leading words that do not change which program runs.
const PREFIX_WORDS = new Set(['then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', 'time', 'exec', 'command', 'sudo', '{', '(']);

/** Split one script entry into simple commands. Never throws; unbalanced quotes end at the text end. */
export function splitCommands(text: string): ShellCommand[] {
  const out: ShellCommand[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let start = -1;
  let startLine = 0;
  let line = 0;
  let prev: CommandJoin = 'end';

  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const beginWord = (i: number): void => {
    if (!inWord && start < 0) {
      start = i;
      startLine = line;
    }
    inWord = true;
  };
  const endCommand = (end: number, join: CommandJoin): void => {
    endWord();
    const cleaned = stripPrefixes(words);
    if (cleaned.length > 0) {
      out.push({ words: cleaned, text: text.slice(start, end).trim(), lineOffset: startLine, next: join, prev });
      prev = join;
    } else if (out.length > 0 && join !== 'newline') {
      prev = join;
    }
    words = [];
    start = -1;
  };

  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\\') {
      if (text[i + 1] === '\n') { line++; i += 2; continue; }
      beginWord(i);
      if (i + 1 < n) word += text[i + 1];
      i += 2;
      continue;
    }
    if (c === "'") {
      beginWord(i);
      const close = text.indexOf("'", i + 1);
      const endIdx = close < 0 ? n : close;
      const chunk = text.slice(i + 1, endIdx);
      line += countNewlines(chunk);
      word += chunk;
      i = endIdx + 1;
      continue;
    }
    if (c === '"') {
      beginWord(i);
      i++;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < n && '"\\$`\n'.includes(text[i + 1]!)) {
          if (text[i + 1] !== '\n') word += text[i + 1];
          else line++;
          i += 2;
          continue;
        }
        if (text[i] === '$' && text[i + 1] === '(') {
          const end = matchParen(text, i + 1);
          word += text.slice(i, end);
          line += countNewlines(text.slice(i, end));
          i = end;
          continue;
        }
        if (text[i] === '\n') line++;
        word += text[i];
        i++;
      }
      i++;
      continue;
    }
    if (c === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) {
      beginWord(i);
      const end = text[i + 1] === '(' ? matchParen(text, i + 1) : closeBrace(text, i + 1);
      word += text.slice(i, end);
      line += countNewlines(text.slice(i, end));
      i = end;
      continue;
    }
    if (c === '`') {
      beginWord(i);
      const close = text.indexOf('`', i + 1);
      const endIdx = close < 0 ? n : close + 1;
      word += text.slice(i, endIdx);
      i = endIdx;
      continue;
    }
    if (c === '#' && !inWord) {
      // Comment to end of line.
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (c === '\n') {
      endCommand(i, 'newline');
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i++;
      continue;
    }
    if (c === '&' || c === '|' || c === ';') {
      const two = text.slice(i, i + 2);
      if (two === '&&' || two === '||') { endCommand(i, two); i += 2; continue; }
      if (c === '&' && text[i + 1] === '>') { beginWord(i); word += '&>'; i += 2; continue; }
      if (c === '|' && text[i + 1] === '&') { endCommand(i, '|'); i += 2; continue; }
      if (c === ';' && text[i + 1] === ';') { endCommand(i, ';'); i += 2; continue; }
      endCommand(i, c === '|' ? '|' : c === '&' ? '&' : ';');
      i++;
      continue;
    }
    if ((c === '(' || c === ')') && !inWord) {
      endCommand(i, ';');
      i++;
      continue;
    }
    beginWord(i);
    word += c;
    i++;
  }
  endCommand(n, 'end');
  return out;
}

/** Split a string into words as the shell would (quotes removed), ignoring operators. */
export function shellWords(text: string): string[] {
  return splitCommands(text).flatMap((c) => c.words);
}

function stripPrefixes(words: string[]): string[] {
  let i = 0;
  let keywords = 0;
  while (i < words.length) {
    const w = words[i]!;
    if (PREFIX_WORDS.has(w)) { i++; keywords = i; continue; }
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) { i++; continue; }
    if (w === '-E' && words[i - 1] === 'sudo') { i++; continue; }
    break;
  }
  // A command of assignments only (`VERSION=$(cat f)`) is kept: it defines variables.
  // So is one after `then`/`else`/`do` (`then tag=dev-$X`), without the keyword.
  const assigns = words.slice(keywords);
  if (i === words.length && assigns.length > 0 && assigns.every((w) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(w))) return assigns;
  const rest = words.slice(i);
  // Trailing closers of `{ ...; }` and keywords that end compound commands.
  while (rest.length > 0 && ['}', 'fi', 'done', 'esac'].includes(rest[rest.length - 1]!) && rest.length > 1) rest.pop();
  if (rest.length === 1 && ['}', 'fi', 'done', 'esac', 'then', 'do', 'else'].includes(rest[0]!)) return [];
  return rest;
}

function countNewlines(s: string): number {
  let k = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) k++;
  return k;
}

/** Index just past the `)` matching the `(` at `open` (quotes inside are skipped). */
function matchParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') { i++; continue; }
    if (c === "'") { const k = text.indexOf("'", i + 1); if (k < 0) return text.length; i = k; continue; }
    if (c === '(') depth++;
    else if (c === ')') { depth--; if (depth === 0) return i + 1; }
  }
  return text.length;
}

function closeBrace(text: string, open: number): number {
  const k = text.indexOf('}', open);
  return k < 0 ? text.length : k + 1;
}
