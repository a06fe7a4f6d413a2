// Authenticating a delivery: the plain X-Gitlab-Token (constant-time), and the optional Standard
// Webhooks HMAC signature GitLab sends when a signing token is configured (GITLAB.md §1.3).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Constant-time equality over SHA-256 digests, so neither length nor content leaks. */
export function secretMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export interface SignatureHeaders {
  id?: string;
  timestamp?: string;
  signature?: string;
}

/** How far a webhook-timestamp may be from now (replay bound). */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

function signingKey(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice('whsec_'.length), 'base64') : Buffer.from(secret, 'utf8');
}

export function signPayload(secret: string, id: string, timestamp: string, body: Buffer): string {
  const mac = createHmac('sha256', signingKey(secret));
  mac.update(`${id}.${timestamp}.`);
  mac.update(body);
  return mac.digest('base64');
}

/** Undefined when valid, else the reason. */
export function signatureProblem(secret: string, headers: SignatureHeaders, body: Buffer, nowSeconds: number): string | undefined {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return 'webhook-id, webhook-timestamp and webhook-signature are required';
  if (!/^\d{1,12}$/.test(timestamp)) return 'webhook-timestamp is not a unix timestamp';
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) return 'webhook-timestamp is too old or in the future';
  const expected = Buffer.from(signPayload(secret, id, timestamp, body), 'base64');
  // The header may list several space-separated signatures (key rotation): any v1 match is enough.
  for (const entry of signature.split(' ')) {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return undefined;
  }
  return 'webhook-signature does not match';
}
