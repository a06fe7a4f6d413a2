// The declarative validator: one module per keyword family, composed by root.ts (merged
// configuration), include.ts (each file's `include:`) and inputs.ts (`spec:` headers).
import type { Finding } from '../../types.js';
import type { PNode } from '../node.js';
import type { VCtx } from './schema.js';
import { include } from './include.js';
import { spec } from './inputs.js';

export { validateRoot } from './root.js';

/** A file's `include:` value, checked before it is resolved (the merged tree no longer has it). */
export function validateInclude(n: PNode, problems: Finding[]): void {
  const c: VCtx = { problems };
  include.check(n, 'include', c);
}

/** A `spec:` header document. */
export function validateSpec(n: PNode, problems: Finding[]): void {
  const c: VCtx = { problems };
  spec.check(n, 'spec', c);
}
