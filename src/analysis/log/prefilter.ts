// Decides, once per line, which regexes could match it: one Aho-Corasick pass finds every
// required literal fragment (see literals.ts) in the line, case-insensitively, in time linear in
// the line whatever the number of patterns. A gate whose regexes have no provable fragment is
// always open; a gate is closed only when none of its fragments occurs, so it never hides a match.
import { requiredLiterals } from './literals.js';

export class LiteralPrefilter {
  /** Per gate, the fragment ids that open it; undefined for a gate that is always open. */
  private readonly gates: (Int32Array | undefined)[];
  /** Automaton: `delta[state * width + charClass]`, failure links already folded in. */
  private readonly delta: Int32Array;
  private readonly width: number;
  /** Lower-cased ASCII code to character class (0: a character in no fragment). */
  private readonly charClass = new Uint8Array(128);
  /** Per state, the fragments ending there (its own and those of its suffixes). */
  private readonly outputs: Int32Array[];
  /** 1 for a state where some fragment ends: the hot loop reads this, not `outputs`. */
  private readonly final: Uint8Array;
  /** `seenOn[fragment] === stamp` when the fragment occurs in the current line. */
  private readonly seenOn: Uint32Array;
  private stamp = 0;
  private hits = 0;

  /** Each gate is a set of regexes that are tested together (a pattern's `match` and `after`). */
  constructor(gates: readonly (readonly RegExp[])[]) {
    const ids = new Map<string, number>();
    this.gates = gates.map((regexes) => {
      const reqs = regexes.map((r) => requiredLiterals(r.source, r.flags));
      if (reqs.length === 0 || reqs.some((r) => r === undefined)) return undefined;
      const fragments = [...new Set(reqs.flatMap((r) => r as readonly string[]))];
      return Int32Array.from(fragments, (f) => ids.get(f) ?? ids.set(f, ids.size).get(f)!);
    });
    const fragments = [...ids.keys()];
    this.seenOn = new Uint32Array(fragments.length);

    let classes = 1;
    for (const f of fragments) for (let i = 0; i < f.length; i++) {
      const c = f.charCodeAt(i);
      if (this.charClass[c] === 0) this.charClass[c] = classes++;
    }
    // Upper-case letters share the class of their lower-case letter: `i` matching on ASCII.
    for (let c = 65; c <= 90; c++) this.charClass[c] = this.charClass[c + 32]!;
    this.width = classes;

    // Trie, then breadth-first failure links folded into a full transition table.
    const trie: number[][] = [new Array<number>(classes).fill(-1)];
    const ends: number[][] = [[]];
    fragments.forEach((f, id) => {
      let s = 0;
      for (let i = 0; i < f.length; i++) {
        const k = this.charClass[f.charCodeAt(i)]!;
        if (trie[s]![k] === -1) {
          trie[s]![k] = trie.length;
          trie.push(new Array<number>(classes).fill(-1));
          ends.push([]);
        }
        s = trie[s]![k]!;
      }
      ends[s]!.push(id);
    });
    this.delta = new Int32Array(trie.length * classes);
    const fail = new Int32Array(trie.length);
    const queue: number[] = [];
    for (let k = 0; k < classes; k++) {
      const next = trie[0]![k]!;
      this.delta[k] = next === -1 ? 0 : next;
      if (next !== -1) queue.push(next);
    }
    for (let q = 0; q < queue.length; q++) {
      const s = queue[q]!;
      ends[s]!.push(...ends[fail[s]!]!);
      for (let k = 0; k < classes; k++) {
        const next = trie[s]![k]!;
        const viaFail = this.delta[fail[s]! * classes + k]!;
        if (next === -1) this.delta[s * classes + k] = viaFail;
        else {
          this.delta[s * classes + k] = next;
          fail[next] = viaFail;
          queue.push(next);
        }
      }
    }
    this.outputs = ends.map((e) => Int32Array.from(new Set(e)));
    this.final = Uint8Array.from(ends, (e) => (e.length > 0 ? 1 : 0));
  }

  /** Finds the fragments in `text`; returns false when there are none (only open gates pass). */
  scan(text: string): boolean {
    this.stamp = (this.stamp + 1) >>> 0 || 1;
    this.hits = 0;
    const { delta, width, charClass, final, seenOn, stamp } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      // Fragments are ASCII, and without `u` a non-ASCII character never matches an ASCII one.
      if (c >= 128) {
        s = 0;
        continue;
      }
      s = delta[s * width + charClass[c]!]!;
      if (final[s] === 1) {
        const out = this.outputs[s]!;
        for (let j = 0; j < out.length; j++) seenOn[out[j]!] = stamp;
        this.hits++;
      }
    }
    return this.hits > 0;
  }

  /** Whether gate `i`'s regexes could match the line last given to `scan`. */
  mayMatch(i: number): boolean {
    const gate = this.gates[i];
    if (gate === undefined) return true;
    if (this.hits === 0) return false;
    for (let j = 0; j < gate.length; j++) if (this.seenOn[gate[j]!] === this.stamp) return true;
    return false;
  }

  /** Whether gate `i` is open on every line (no provable fragment). */
  alwaysOpen(i: number): boolean {
    return this.gates[i] === undefined;
  }
}
