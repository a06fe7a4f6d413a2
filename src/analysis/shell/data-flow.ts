// Shell variables a job's script assigns (`tag=dev-$CI_COMMIT_REF_NAME`, `export IMAGE=...`),
// followed into the commands that use them: `--destination $IMAGE:$tag` is read as the image it
// names. Only what is statically known is substituted; anything else stays `$NAME` as written
// ("unknown at lint time"), so a rule never reasons on a guess.
import type { ScriptLine } from '../ci-config/types.js';

/** Where a substituted shell variable was assigned. */
export interface ShellVarOrigin {
  name: string;
  source: ScriptLine;
  /** 0-based line of the assignment within a multi-line entry. */
  lineOffset: number;
}

interface Known {
  /** undefined: assigned, but from something that cannot be known statically (`$(git describe)`). */
  value: string | undefined;
  origin: ShellVarOrigin;
}

/**
 * The values a variable may hold: one after a plain assignment, several after assignments in the
 * branches of an `if` or after `&&`/`||`. A command is read with the value that carries the most
 * (one that still names variables), so a problem on any branch is seen.
 */
type Possible = Known[];

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;
const DECLARE_WORDS = new Set(['export', 'readonly', 'local', 'declare', 'typeset']);
// `$NAME`, `${NAME}`, `${NAME:-default}` / `${NAME-default}`, `$(echo words)`.
// Linear by construction: a default stops at `$`/`{` (nested defaults stay unknown), and the
// echo words are one class run up to `)`, trimmed in code.
const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}${]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)|\$\(\s*echo\b([^()`|;&<>]*)\)/g;
const MAX_VALUE = 4096;

export class ShellVars {
  private readonly vars = new Map<string, Possible>();

  /**
   * Record the assignments a command makes. Returns true when the command only assigns (it runs
   * nothing else). `X=1 cmd` sets X for `cmd` alone and is not recorded.
   */
  assign(words: readonly string[], source: ScriptLine, lineOffset: number, conditional = false): boolean {
    let i = 0;
    if (DECLARE_WORDS.has(words[0] ?? '')) {
      i = 1;
      while (i < words.length && words[i]!.startsWith('-')) i++;
    }
    const rest = words.slice(i);
    const assigns = rest.map((w) => ASSIGNMENT.exec(w));
    if (i === 0 && assigns.some((m) => !m)) return false;
    // `export X` alone keeps X's value: only `NAME=value` words assign.
    for (const m of assigns) {
      if (!m) continue;
      const known: Known = { value: this.resolve(m[2]!), origin: { name: m[1]!, source, lineOffset } };
      const before = this.vars.get(m[1]!);
      if (conditional && before) {
        if (!before.some((k) => k.value === known.value)) before.push(known);
      } else this.vars.set(m[1]!, [known]);
    }
    return true;
  }

  /** A value with the known variables substituted; undefined when any part of it cannot be known. */
  private resolve(raw: string): string | undefined {
    if (runsCommand(raw)) return undefined;
    const { text, unknown } = this.substituteText(raw);
    // A command substitution left in the value (`$(echo x | base64)`) is run at job time: unknown.
    return unknown || /\$\(|`/.test(text) || text.length > MAX_VALUE ? undefined : text;
  }

  private substituteText(text: string, used?: ShellVarOrigin[]): { text: string; unknown: boolean } {
    let unknown = false;
    const out = text.replace(REF, (m, braced: string | undefined, fallback: string | undefined, bare: string | undefined, echoed: string | undefined) => {
      if (echoed !== undefined) {
        if (/\$\(/.test(echoed)) { unknown = true; return m; }
        return this.substituteText(echoWords(echoed), used).text;
      }
      const name = braced ?? bare!;
      const possible = this.vars.get(name);
      const known = possible && (possible.find((k) => k.value?.includes('$')) ?? possible.find((k) => k.value !== undefined) ?? possible[0]);
      if (known) {
        if (known.value === undefined) { unknown = true; return m; }
        used?.push(known.origin);
        if (fallback !== undefined && known.value === '') return fallback;
        return known.value;
      }
      // Never assigned by the script: it may come from CI/CD settings, so it stays as written.
      return m;
    });
    return { text: out, unknown };
  }

  /** The words of a command with known shell variables substituted, and where those were assigned. */
  substitute(words: readonly string[]): { words: string[]; used: ShellVarOrigin[] } {
    if (this.vars.size === 0 || !words.some((w) => w.includes('$'))) return { words: [...words], used: [] };
    const used: ShellVarOrigin[] = [];
    const out = words.map((w) => (w.includes('$') ? this.substituteText(w, used).text : w));
    return { words: out, used };
  }
}

/** A backtick or a `$(` that is not `$(echo ...)`: a command whose output is known only at job time. */
function runsCommand(raw: string): boolean {
  if (raw.includes('`')) return true;
  for (let at = raw.indexOf('$('); at >= 0; at = raw.indexOf('$(', at + 2)) {
    let i = at + 2;
    while (raw[i] === ' ' || raw[i] === '\t') i++;
    const isEcho = raw.startsWith('echo', i) && !/[A-Za-z0-9_]/.test(raw[i + 4] ?? '');
    if (!isEcho) return true;
  }
  return false;
}

/** What `echo [-n] words` prints, from the words between `echo` and `)`. */
function echoWords(args: string): string {
  let words = args.trim();
  if (words === '-n' || words.startsWith('-n ') || words.startsWith('-n\t')) words = words.slice(2).trim();
  return words;
}
