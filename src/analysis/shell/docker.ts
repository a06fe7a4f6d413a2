// Recognise container-tool invocations among a job's commands and normalise them to a verb.
import type { EffectiveJob } from '../ci-config/types.js';
import type { DockerInvocation, DockerVerb } from './types.js';
import { jobCommands, type JobCommand } from './job-commands.js';

// docker global options that take a value (before the subcommand).
const DOCKER_GLOBAL_WITH_VALUE = new Set(['--config', '-H', '--host', '-c', '--context', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey']);
const DIRECT_VERBS: Record<string, DockerVerb> = {
  login: 'login', logout: 'logout', build: 'build', push: 'push', pull: 'pull', tag: 'tag', run: 'run',
};

type Tool = DockerInvocation['tool'];

function basename(word: string): string {
  const i = word.lastIndexOf('/');
  return i < 0 ? word : word.slice(i + 1);
}

/** Which tool a command runs, if it is one we read. */
function toolOf(words: string[]): Tool | undefined {
  const w0 = words[0] ?? '';
  const base = basename(w0);
  if (base === 'docker') return 'docker';
  if (base === 'podman') return 'podman';
  if (base === 'buildah') return 'buildah';
  if (base === 'img') return 'img';
  if (base === 'executor' && (w0.includes('kaniko') || words.some((w) => /^--(destination|context|dockerfile|no-push)\b/.test(w)))) return 'kaniko';
  return undefined;
}

/** Turn one command's words into an invocation, or undefined when it is not a container tool. */
export function invocationOf(words: string[]): Omit<DockerInvocation, 'source' | 'indexInLine'> | undefined {
  const tool = toolOf(words);
  if (!tool) return undefined;
  if (tool === 'kaniko') return { verb: 'build', tool, args: words.slice(1) };
  let i = 1;
  if (tool === 'docker') {
    while (i < words.length && words[i]!.startsWith('-')) {
      const w = words[i]!;
      i += DOCKER_GLOBAL_WITH_VALUE.has(w) ? 2 : 1;
    }
  }
  const sub = words[i];
  if (sub === undefined) return { verb: 'other', tool, args: [] };
  const rest = (k: number): string[] => words.slice(k);
  if (tool === 'docker' && sub === 'buildx') {
    const bx = words[i + 1];
    if (bx === 'build' || bx === 'b') return { verb: 'build', tool: 'buildx', args: rest(i + 2) };
    return { verb: 'other', tool: 'buildx', args: rest(i + 1) };
  }
  if ((sub === 'image' || sub === 'container' || sub === 'builder') && words[i + 1] !== undefined) {
    const verb = DIRECT_VERBS[words[i + 1]!];
    if (verb) return { verb, tool, args: rest(i + 2) };
    return { verb: 'other', tool, args: rest(i + 1) };
  }
  if (tool === 'buildah') {
    if (sub === 'bud' || sub === 'build-using-dockerfile') return { verb: 'build', tool, args: rest(i + 1) };
    if (sub === 'from') return { verb: 'pull', tool, args: rest(i + 1) };
  }
  const verb = DIRECT_VERBS[sub];
  return { verb: verb ?? 'other', tool, args: rest(i + 1) };
}

/** An invocation with the job command it came from. */
export function toInvocation(jc: JobCommand): DockerInvocation | undefined {
  const inv = invocationOf(jc.cmd.words);
  if (!inv) return undefined;
  return {
    ...inv,
    source: jc.source,
    indexInLine: jc.indexInLine,
    lineOffset: jc.cmd.lineOffset,
    prev: jc.cmd.prev,
    next: jc.cmd.next,
    ...(jc.cwd !== undefined ? { cwd: jc.cwd } : {}),
    ...(jc.shellVars ? { shellVars: jc.shellVars } : {}),
  };
}

/**
 * Container-tool invocations of a job in run order: before_script and script first (one
 * shell), then after_script (its `source.section` is 'after_script').
 */
export function findDockerInvocations(job: EffectiveJob): DockerInvocation[] {
  const out: DockerInvocation[] = [];
  for (const jc of jobCommands(job)) {
    const inv = toInvocation(jc);
    if (inv) out.push(inv);
  }
  return out;
}

/** Words that are redirections (`>file`, `2>&1`, `< f`, `<<< "$X"`) and the target that follows a bare operator. */
export function dropRedirections(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const m = /^(\d*|&)(>>|>|<<<|<<|<)(&?\S*)$/.exec(w);
    if (m) {
      if (m[3] === '' || m[3] === '&') i++;
      continue;
    }
    out.push(w);
  }
  return out;
}
