// The bodies a pipeline diagnosis posts for its patch: the inline suggestion thread on a line
// the MR changed, and the sentence in the diagnosis note that links to those threads.
import type { Finding, Fix } from '../../analysis/types.js';
import { withMarker } from '../../gitlab/markers.js';
import { redact } from '../../text/redact.js';
import { code, link, plain, prose } from '../../text/markdown.js';

/** The first note of a diagnosis suggestion thread: `block` is a suggestion block from renderFix. */
export function diagnosisSuggestionBody(finding: Finding, fix: Fix, pipelineId: number, job: string, block: string, marker: string): string {
  const head = `**${plain(finding.title)}** — pipeline #${Math.trunc(pipelineId)}, job ${code(job)} failed because of this.`;
  return withMarker(`${head}\n\n${prose(redact(fix.description))}\n\n${block}`, marker);
}

/** A link to one posted suggestion: `path` line N. */
export function suggestionLink(path: string, line: number, url: string | undefined): string {
  return link(`${code(path)} line ${line}`, url);
}

const sentence = (s: string) => (/[.!?]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`);

/** What the diagnosis note says about a fix posted as suggestions; `rest` is the diff of the parts that could not be. */
export function postedFixText(fix: Fix, links: readonly string[], rest: string): string {
  const tail = rest ? `\n\nThe rest of the patch:\n\n${rest}` : '';
  return `${sentence(prose(redact(fix.description)))} Posted as a suggestion you can apply on ${links.join(', ')}.${tail}`;
}
