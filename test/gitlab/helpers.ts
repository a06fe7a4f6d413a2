// Test helpers: apply a GitLab suggestion block to a file the way GitLab does.
export function applySuggestion(fileText: string, anchorLine: number, body: string): string {
  const lines = fileText.split('\n');
  const trailing = fileText.endsWith('\n');
  if (trailing) lines.pop();
  const bodyLines = body.split('\n');
  const open = /^(`{3,})suggestion:-(\d+)\+(\d+)$/.exec(bodyLines[0]!);
  if (!open) throw new Error(`not a suggestion block: ${bodyLines[0]}`);
  const fence = open[1]!;
  const close = bodyLines.lastIndexOf(fence);
  const content = bodyLines.slice(1, close);
  const from = anchorLine - Number(open[2]);
  const to = anchorLine + Number(open[3]);
  lines.splice(from - 1, to - from + 1, ...content);
  return lines.join('\n') + (trailing ? '\n' : '');
}
