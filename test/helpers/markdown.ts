// A small reader for the markdown ci-medic posts: the prose outside code (fenced blocks and code
// spans), which is where HTML renders, mentions notify and markers would be found.

/** The text outside fenced code blocks and inline code spans. Unclosed fences swallow the rest (as GitLab renders them). */
export function proseOf(markdown: string): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of lines) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence !== undefined) {
      if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.trim() === m[1]) fence = undefined;
      continue;
    }
    if (m) {
      fence = m[1]!;
      continue;
    }
    out.push(stripCodeSpans(line));
  }
  return out.join('\n');
}

/** Removes `code spans`: a run of N backticks up to the next run of exactly N. */
function stripCodeSpans(line: string): string {
  let out = '';
  let pos = 0;
  const runs = /`+/g;
  for (let m = runs.exec(line); m; m = runs.exec(line)) {
    const close = new RegExp(`(?<!\`)${m[0]}(?!\`)`, 'g');
    close.lastIndex = m.index + m[0].length;
    const end = close.exec(line);
    if (!end) continue;
    out += line.slice(pos, m.index) + '␣';
    pos = end.index + end[0].length;
    runs.lastIndex = pos;
  }
  return out + line.slice(pos);
}

/** Whether every fenced block that opens also closes. */
export function fencesBalanced(markdown: string): boolean {
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (!m) continue;
    if (fence === undefined) fence = m[1]!;
    else if (m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.trim() === m[1]) fence = undefined;
  }
  return fence === undefined;
}

/** `@name` that GitLab would turn into a mention (no zero-width joiner after the @). */
export function liveMentions(text: string): string[] {
  return [...text.matchAll(/(?<![\w.\-/:])@(?!\u200D)([A-Za-z0-9_][\w.\-]*)/g)].map((m) => m[1]!);
}
