// Flag parsing shared by the newer commands: `--flag value`, `--flag=value`, boolean flags, and
// positional words, with a UsageError naming the flag for anything off.
import { UsageError } from './io.js';

export interface FlagSpec {
  /** Flags that take a value. */
  values?: readonly string[];
  /** Flags that stand alone. */
  booleans?: readonly string[];
}

export interface ParsedFlags {
  values: Map<string, string>;
  booleans: Set<string>;
  positional: string[];
}

export function parseFlags(argv: readonly string[], spec: FlagSpec, usage: string): ParsedFlags {
  const out: ParsedFlags = { values: new Map(), booleans: new Set(), positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--') || arg === '--') {
      if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option '${arg}'\n${usage}`);
      out.positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (spec.booleans?.includes(flag)) {
      if (eq > 0) throw new UsageError(`${flag} takes no value\n${usage}`);
      out.booleans.add(flag);
    } else if (spec.values?.includes(flag)) {
      const v = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value\n${usage}`);
      out.values.set(flag, v);
    } else {
      throw new UsageError(`unknown option '${flag}'\n${usage}`);
    }
  }
  return out;
}
