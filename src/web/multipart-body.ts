import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.js';

/** A file field of a multipart form: its name and text, undefined when over the size limit. */
export type Upload = { filename: string; text: string | undefined };

/**
 * Reads a multipart/form-data body into `request.body` in the scope's preValidation, before
 * the CSRF check reads `_csrf` from it: file fields as `Upload`s, the others as strings. A
 * body that is not multipart as a browser sends it (cut short, no boundary, too many parts)
 * is an invalid_request (a 400 page), not a server error. The scope registers
 * @fastify/multipart with its own limits first.
 */
export function readMultipartBodies(scope: FastifyInstance): void {
  scope.addHook('preValidation', async (request) => {
    if (!request.isMultipart()) return;
    const body: Record<string, unknown> = {};
    try {
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          const chunks: Buffer[] = [];
          for await (const chunk of part.file) chunks.push(chunk as Buffer);
          const text = part.file.truncated ? undefined : Buffer.concat(chunks).toString('utf8');
          body[part.fieldname] = { filename: part.filename, text } satisfies Upload;
        } else if (typeof part.value === 'string') {
          body[part.fieldname] = part.value;
        }
      }
    } catch {
      throw new AppError('invalid_request', 'That upload could not be read: send the form again.');
    }
    request.body = body;
  });
}
