// The effective-job model of a GitLab CI configuration: what each job runs, line by line,
// and which file and line every command, image and variable comes from.
import type { Finding } from '../types.js';

export interface SourcePos {
  path: string;
  /** 1-based line of the node's first character. */
  line: number;
  /** 1-based line of the node's last character (multi-line scalars, block scalars). */
  endLine?: number;
  col?: number;
  /**
   * Set on the position of a KEY (e.g. `EffectiveJob.beforeScriptPos`): how its value is written,
   * so a fix knows whether it can append an item. 'block-seq' = `- item` lines below the key;
   * 'flow-seq' = `[a, b]`; 'scalar' = one string; 'alias' = `*anchor`; 'reference' = `!reference [...]`;
   * 'map'; 'other'. Only 'block-seq' is safe to append to by inserting a line after `lastItemLine`.
   */
  valueStyle?: 'block-seq' | 'flow-seq' | 'scalar' | 'alias' | 'reference' | 'map' | 'other';
  /** For a key whose value is a sequence: 1-based last line of its last item (insert after it). */
  lastItemLine?: number;
  /** For a key whose value is a block sequence: 0-based column of the items' `-` (indent of new items). */
  indent?: number;
}

export type ScriptSection = 'before_script' | 'script' | 'after_script';

/** One shell command as the runner would run it (one script array entry, after flattening nested lists). */
export interface ScriptLine {
  /** The command text exactly as the runner receives it (block scalars folded/kept as YAML does). */
  command: string;
  /** `command` with known variables expanded; unknown and predefined variables kept as `$NAME`. */
  expanded: string;
  section: ScriptSection;
  /** Where the entry is written. For a block scalar, line..endLine span its lines. */
  pos: SourcePos;
  /**
   * Where the entry came from: 'job' (the job itself), 'default', 'top-level' (legacy global),
   * '.parent-name' / 'parent-name' (via extends), 'reference' (via !reference), 'anchor'.
   */
  origin: string;
}

export interface VariableDef {
  name: string;
  value: string;
  /** false when `expand: false` is set: value is taken literally. */
  expand: boolean;
  /** Where it is defined; 'global' | 'default' | 'job' | 'service' */
  scope: 'global' | 'default' | 'job' | 'service';
  pos?: SourcePos;
}

export interface ImageSpec {
  name: string;
  entrypoint?: string[];
  pos?: SourcePos;
}

export interface ServiceSpec {
  name: string;
  alias?: string;
  command?: string[];
  entrypoint?: string[];
  variables: Record<string, string>;
  pos?: SourcePos;
}

export interface EffectiveJob {
  name: string;
  /** Where the job key is written. */
  pos: SourcePos;
  stage: string;
  image?: ImageSpec;
  services: ServiceSpec[];
  /** Effective variables visible to the job (global/default/job merged, inherit honoured). */
  variables: Record<string, VariableDef>;
  beforeScript: ScriptLine[];
  script: ScriptLine[];
  afterScript: ScriptLine[];
  /** Where the job's own (or inherited) before_script key is written, if any: fixes append there. */
  beforeScriptPos?: SourcePos;
  /** Where the `script:` key that the job uses is written. */
  scriptPos?: SourcePos;
  allowFailure: boolean;
  when?: string;
  tags: string[];
  /** extends chain, nearest parent first */
  extends: string[];
  /** Fully resolved job mapping as plain JSON (after extends/default/!reference), for rules that need other keys. */
  raw: Record<string, unknown>;
  /** 'lint' when the job is only known from GitLab's CI lint `merged_yaml` (see mergeLintResult). */
  origin?: 'local' | 'lint';
}

export interface UnresolvedInclude {
  kind: 'local' | 'project' | 'remote' | 'template' | 'component' | 'unknown';
  /** What was asked for (path, URL, template name, project:file@ref). */
  target: string;
  reason: string;
  pos?: SourcePos;
}

export interface CiConfig {
  /** Every CI file read, path -> text (entry file first). */
  files: Map<string, string>;
  /** Non-hidden jobs (names not starting with '.'), in file order. */
  jobs: EffectiveJob[];
  /** Hidden jobs ('.name') resolved the same way, for reference. */
  hiddenJobs: EffectiveJob[];
  stages: string[];
  globalVariables: Record<string, VariableDef>;
  /** Where `default:` is written, and its before_script key, if any (fix targets). */
  defaultPos?: SourcePos;
  defaultBeforeScriptPos?: SourcePos;
  /** Where the legacy top-level `before_script:` key is written, if any. */
  topLevelBeforeScriptPos?: SourcePos;
  unresolvedIncludes: UnresolvedInclude[];
  /** Problems GitLab would reject (rule `ci-config-invalid`): parse errors, extends cycles, missing parents... */
  problems: Finding[];
  /**
   * Problems that may only exist because some include could not be resolved (a missing extends
   * parent, !reference target, needed job or stage that the unresolved file may define). Kept out of
   * `problems` so that nothing is reported on a guess; present only when `unresolvedIncludes` is non-empty.
   */
  uncertainProblems?: Finding[];
  /**
   * Warnings about YAML that GitLab accepts but reads differently than it looks (a key written twice,
   * a shallow `<<:` merge, unquoted `yes`/`3.10`), each with its own rule id (yaml-facts.ts).
   */
  yamlFacts?: Finding[];
}

/**
 * Where included files come from. The CLI reads the checkout; the service reads GitLab at the SHA.
 * Returns null when the file does not exist or cannot be read.
 */
export interface CiFileSource {
  /** A file of the same project at the same ref. */
  readLocal(path: string): Promise<string | null>;
  /** Paths in the same project matching a glob (for `include: local: 'ci/*.yml'`); may be unsupported. */
  listLocal?(glob: string): Promise<string[]>;
  /** A file of another project (include: project/file/ref); may be unsupported. */
  readProject?(project: string, path: string, ref?: string): Promise<string | null>;
}
