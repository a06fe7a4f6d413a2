// Creating a note is not idempotent: after a timeout or a dropped connection the POST may
// have succeeded. Before posting again, look for the marker it would have left.
import { GitlabUnavailableError } from './errors.js';

export async function postOnce<T>(
  find: () => Promise<T | undefined>,
  create: () => Promise<T>,
  attempts = 4,
): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    if (i > 0) {
      const hit = await find();
      if (hit !== undefined) return hit;
    }
    try {
      return await create();
    } catch (e) {
      if (!(e instanceof GitlabUnavailableError)) throw e;
      last = e;
    }
  }
  throw last;
}
