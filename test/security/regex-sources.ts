// Every regular expression in src/, found by parsing the sources with the TypeScript compiler,
// so a regex added anywhere is seen by the linear-time proof in redos-sources.test.ts.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { repoRoot } from '../helpers/paths.js';

export interface RegexSite {
  /** Path relative to the repository, e.g. `src/text/redact.ts`. */
  file: string;
  line: number;
  /** The literal's pattern and flags; undefined for a `new RegExp(...)` built at run time. */
  source?: string;
  flags?: string;
  /** For a constructed regex: the constructor call as written. */
  call?: string;
}

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** `new RegExp(...)`, `RegExp(...)`, `new globalThis.RegExp(...)`. */
function isRegExpConstructor(node: ts.Node): node is ts.NewExpression | ts.CallExpression {
  if (!ts.isNewExpression(node) && !ts.isCallExpression(node)) return false;
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return callee.text === 'RegExp';
  return ts.isPropertyAccessExpression(callee) && callee.name.text === 'RegExp';
}

export function regexSites(srcDir = path.join(repoRoot, 'src')): RegexSite[] {
  const out: RegexSite[] = [];
  for (const full of tsFiles(srcDir)) {
    const file = path.relative(repoRoot, full).split(path.sep).join('/');
    const sf = ts.createSourceFile(full, fs.readFileSync(full, 'utf8'), ts.ScriptTarget.Latest, true);
    const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const text = (node as ts.RegularExpressionLiteral).text;
        const slash = text.lastIndexOf('/');
        out.push({ file, line: lineOf(node), source: text.slice(1, slash), flags: text.slice(slash + 1) });
      } else if (isRegExpConstructor(node)) {
        out.push({ file, line: lineOf(node), call: node.getText(sf).replace(/\s+/g, ' ') });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return out;
}
