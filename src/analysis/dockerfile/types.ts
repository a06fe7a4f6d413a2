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
  /** The FROM keyword as written (`FROM`, `from`). */
  fromKeyword?: string;
  /** The `AS` keyword as written, when the stage is named. */
  asKeyword?: string;
  /** Index of the earlier stage this one is built FROM, when `image` names a stage. */
  baseStage?: number;
}

/** One instruction as written, with what the linters need. Lines are 1-based. */
export interface DockerfileInstruction {
  /** Upper-case keyword (FROM, RUN, ...). */
  keyword: string;
  /** The keyword exactly as written (`from`, `Run`). */
  written: string;
  line: number;
  endLine: number;
  /** Arguments with line continuations removed; heredoc bodies excluded. */
  args: string;
  /** Stage index, -1 for instructions before the first FROM. */
  stage: number;
  /** JSON (exec) form: `CMD ["a", "b"]`. */
  json: boolean;
  /** Has a heredoc (`<<EOF`). */
  heredoc: boolean;
  /** Rules skipped for this instruction by a `# check=skip=` comment right above it. */
  skip?: string[] | 'all';
  /** ENV / ARG / LABEL key-value pairs; `legacy` = `KEY value` form without `=`. */
  props?: DockerfileProperty[];
}

export interface DockerfileProperty {
  name: string;
  /** Value as written (quotes kept), undefined for `ARG NAME`. */
  value?: string;
  legacy: boolean;
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
  /** Every instruction in file order (set by parseDockerfile). */
  instructions?: DockerfileInstruction[];
  /** The escape character (`\\` or a backtick from `# escape=`). */
  escapeChar?: string;
  /** `# check=error=true`. */
  checkError?: boolean;
}
