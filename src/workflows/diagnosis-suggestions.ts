// The patch of a pipeline diagnosis, where the author can apply it: each part of a fix whose
// lines the MR changed becomes an inline suggestion thread (found again by a marker per
// pipeline, rule, path and line, so it is never posted twice; an identical open review thread
// of ci-medic is reused instead), the rest a `diff` block in the diagnosis note.
import { createHash } from 'node:crypto';
import { changedLinesFromDiffs } from '../analysis/fixes/diff.js';
import { renderFix } from '../analysis/fixes/render.js';
import type { Finding, Fix } from '../analysis/types.js';
import type { GitlabClient } from '../gitlab/client.js';
import { isRejected } from '../gitlab/publisher.js';
import { hasMarker } from '../gitlab/markers.js';
import { postOnce } from '../gitlab/post-once.js';
import type { Discussion, ProjectId } from '../gitlab/types.js';
import { renderFixDiff } from '../report/markdown/fix.js';
import { diagnosisSuggestionBody, postedFixText, suggestionLink } from '../report/markdown/diagnosis-fix.js';
import { positionFor } from '../gitlab/position.js';

export interface DiagnosisSuggestionArgs {
  client: GitlabClient;
  project: ProjectId;
  mrIid: number;
  mrWebUrl?: string;
  pipelineId: number;
  /** The SHA the files were read at; suggestions are only posted when it is the MR's head. */
  sha: string;
  findings: ReadonlyArray<{ finding: Finding; job: string }>;
  fileText: (path: string) => string | undefined;
}

export const diagnosisFixMarker = (pipelineId: number, ruleId: string, path: string, line: number) =>
  `<!-- ci-medic:diagnosis-fix ${createHash('sha256').update(`${pipelineId}\0${ruleId}\0${path}\0${line}`).digest('hex').slice(0, 16)} -->`;


const isResolved = (d: Discussion) => d.notes.some((n) => n.resolvable) && d.notes.every((n) => !n.resolvable || n.resolved);

/** An open thread of the bot at this line that already carries exactly this suggestion. */
function sameSuggestion(discussions: readonly Discussion[], botId: number, path: string, line: number, block: string): Discussion | undefined {
  return discussions.find((d) => {
    const first = d.notes[0];
    return first?.author.id === botId && first.position?.new_path === path && first.position?.new_line === line
      && first.body.includes(block) && !isResolved(d);
  });
}

/**
 * Posts (or finds) the inline parts of every fix and returns, per fix, the markdown the
 * diagnosis note shows for it. Fixes absent from the map render as `diff` blocks.
 */
export async function postDiagnosisSuggestions(args: DiagnosisSuggestionArgs): Promise<Map<Fix, string>> {
  const out = new Map<Fix, string>();
  const withFix = args.findings.filter((x) => x.finding.fix);
  if (withFix.length === 0) return out;
  const { client, project, mrIid: iid } = args;
  const refs = await client.latestDiffRefs(project, iid);
  if (!refs || refs.head_sha !== args.sha) return out; // lines at another commit: a diff block is the honest form
  const diffs = await client.mrDiffs(project, iid);
  const changed = changedLinesFromDiffs(diffs);
  const me = await client.currentUser();
  let discussions = await client.discussions(project, iid);

  for (const { finding, job } of withFix) {
    const fix = finding.fix!;
    const rendered = renderFix(fix, args.fileText, changed);
    const placed = rendered.inline.map((s) => ({ s, pos: positionFor(refs, diffs, s.path, s.anchorLine) }));
    if (rendered.inline.length === 0 || placed.some((p) => !p.pos)) continue;
    const links: string[] = [];
    try {
      for (const { s, pos } of placed) {
        let thread = sameSuggestion(discussions, me.id, s.path, s.anchorLine, s.body);
        if (!thread) {
          const marker = diagnosisFixMarker(args.pipelineId, finding.ruleId, s.path, s.anchorLine);
          const mine = (d: Discussion) => d.notes[0]?.author.id === me.id && hasMarker(d.notes[0].body, marker);
          const find = async () => (await client.discussions(project, iid)).find(mine);
          thread = discussions.find(mine);
          if (!thread) {
            const body = diagnosisSuggestionBody(finding, fix, args.pipelineId, job, s.body, marker);
            thread = await postOnce(find, () => client.createDiffDiscussion(project, iid, body, pos!));
            discussions = [...discussions, thread];
          }
        }
        const noteId = thread.notes[0]?.id;
        links.push(suggestionLink(s.path, s.anchorLine, args.mrWebUrl && noteId ? `${args.mrWebUrl}#note_${noteId}` : undefined));
      }
    } catch (e) {
      // GitLab refused this thread (position, size, rights): the note shows the fix as a `diff` block.
      if (!isRejected(e)) throw e;
      continue;
    }
    out.set(fix, postedFixText(fix, links, rendered.outside));
  }
  return out;
}

/** The note's renderer: the suggestion links where posted, a `diff` block otherwise. */
export function fixRenderer(posted: ReadonlyMap<Fix, string>, fileText: (path: string) => string | undefined): (fix: Fix) => string {
  return (fix) => posted.get(fix) ?? renderFixDiff(fix, fileText);
}
