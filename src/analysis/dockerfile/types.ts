// Dockerfile model over dockerfile-ast. Lines are 1-based here (dockerfile-ast is 0-based).

export interface DockerfileArg {
  name: string;
  /** Default value as written, undefined when the ARG has no `=`. */
  defaultValue?: string;
  line: number;
}

export interface DockerfileVarUse {
  name: string;
  /** The instruction keyword, upper-case (FROM, RUN, ENV, COPY, LABEL, ...). */
  instruction: string;
  line: number;
  /** Has a `${NAME:-x}` / `${NAME:+x}` modifier. */
  hasModifier: boolean;
}

export interface DockerfileStage {
  index: number;
  /** The FROM instruction's line. */
  line: number;
  /** Base image reference as written (`$CI_REGISTRY_IMAGE:$TAG`). */
  image: string;
  /** `AS name`, as written. */
  name?: string;
  platform?: string;
  /** ARGs declared inside this stage, in order. */
  args: DockerfileArg[];
}

export interface DockerfileModel {
  path: string;
  text: string;
  lines: string[];
  /** ARGs before the first FROM (global / meta ARGs). */
  globalArgs: DockerfileArg[];
  stages: DockerfileStage[];
  /** Every variable use, in file order. */
  varUses: DockerfileVarUse[];
  /** `# check=skip=...` and `# check=error=true` directive values. */
  checkSkip: string[] | 'all';
}
