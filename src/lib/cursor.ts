import { AppError } from '../errors.js';

/**
 * Page cursors as the API hands them out: opaque base64url text around a small JSON value,
 * so clients pass them back unchanged and the server may change what is inside.
 */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

/** The value inside a cursor, checked by `valid`; a malformed cursor is a 400. */
export function decodeCursor<T>(text: string, valid: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (text.length > 512 || !valid(value))
    throw new AppError('invalid_request', 'cursor: not a cursor this API handed out');
  return value;
}
