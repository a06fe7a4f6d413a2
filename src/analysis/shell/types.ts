// Docker commands found in CI script lines, with their flags read the way the docker CLI reads them.
import type { ScriptLine } from '../ci-config/types.js';
import type { ShellVarOrigin } from './data-flow.js';

export type DockerVerb = 'login' | 'logout' | 'build' | 'push' | 'pull' | 'tag' | 'run' | 'other';

export interface DockerInvocation {
  verb: DockerVerb;
  /** `docker buildx build`, `docker image push`, `docker build` all normalise to a verb. */
  tool: 'docker' | 'buildx' | 'podman' | 'buildah' | 'kaniko' | 'img';
  /** Words after the verb, shell-split, quotes removed, variables left as written. */
  args: string[];
  /** The script line it was found in (one line may hold several commands: `a && b`, pipes). */
  source: ScriptLine;
  /** Index of the command within that script line (0 for the first). */
  indexInLine: number;
  /** 0-based line of the command within a multi-line (block scalar) entry. */
  lineOffset?: number;
  /** Shell operator before / after the command (`||` after a pull means its failure is tolerated). */
  prev?: string;
  next?: string;
  /** Directory the command runs in, relative to the repository root ('' = root), when known. */
  cwd?: string;
  /** Shell variables of the script that `args` were read through (`tag=...` then `-t img:$tag`). */
  shellVars?: ShellVarOrigin[];
}

export interface DockerLogin {
  registry?: string;
  username?: string;
  /** true when `--password-stdin` is used; false for `-p/--password` on argv. */
  passwordStdin: boolean;
  passwordArgv?: string;
  invocation: DockerInvocation;
}

export interface DockerBuildArg {
  name: string;
  /** undefined for `--build-arg NAME` (value taken from the environment). */
  value?: string;
}

export interface DockerBuild {
  /** `-f` / `--file` as written; undefined = `<context>/Dockerfile`. */
  file?: string;
  context: string;
  tags: string[];
  buildArgs: DockerBuildArg[];
  cacheFrom: string[];
  push: boolean;
  invocation: DockerInvocation;
}
