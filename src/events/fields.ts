// Defensive readers for untrusted webhook JSON: each returns the value or throws a PayloadError
// naming the field, which the classifier turns into a 400 with that reason.

export class PayloadError extends Error {
  readonly code = 'CIM_ERR_INVALID_PAYLOAD';
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function obj(parent: Json, field: string, where: string): Json {
  const value = parent[field];
  if (!isObject(value)) throw new PayloadError(`${where}${field} must be an object`);
  return value;
}

export function optObj(parent: Json, field: string): Json | undefined {
  const value = parent[field];
  return isObject(value) ? value : undefined;
}

export function id(parent: Json, field: string, where: string): number {
  const value = parent[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new PayloadError(`${where}${field} must be a positive integer`);
  }
  return value;
}

export function optId(parent: Json, field: string): number | undefined {
  const value = parent[field];
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

export function str(parent: Json, field: string, where: string): string {
  const value = parent[field];
  if (typeof value !== 'string' || value === '') throw new PayloadError(`${where}${field} must be a non-empty string`);
  if (value.length > 1024) throw new PayloadError(`${where}${field} is longer than 1024 characters`);
  return value;
}

export function optStr(parent: Json, field: string): string | undefined {
  const value = parent[field];
  return typeof value === 'string' && value !== '' && value.length <= 1024 ? value : undefined;
}

const SHA = /^[0-9a-f]{7,64}$/i;

export function sha(parent: Json, field: string, where: string): string {
  const value = str(parent, field, where);
  if (!SHA.test(value)) throw new PayloadError(`${where}${field} must be a commit SHA`);
  return value.toLowerCase();
}
