import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * How deeply a JSON body may nest arrays and objects. Our deepest body (a product: variants, a
 * variant, its price) nests 4; validation walks a body recursively, so 20,000 nested arrays in an
 * unauthenticated login overflowed the stack. The limit is checked on the text, before parsing.
 */
export const MAX_JSON_DEPTH = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]);
const CLOSERS = new Set([0x5d, 0x7d]);

/** Whether JSON text nests arrays and objects deeper than `max`, told without parsing it (brackets inside strings do not count). */
export function jsonNestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === BACKSLASH) index += 1;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (OPENERS.has(code)) {
      depth += 1;
      if (depth > max) return true;
    } else if (CLOSERS.has(code)) {
      depth -= 1;
    }
  }
  return false;
}

/**
 * The only bodies an app reads are JSON: Fastify's text parser and Nest's form parser are not
 * registered, so a form or plain text sent to a JSON route is a 415, not a body that half-validates.
 * JSON is parsed by Fastify's own parser (which refuses __proto__ and constructor poisoning) after
 * the depth check; with `rawBody` the exact bytes are kept for signatures that cover them.
 */
export function acceptJsonBodiesOnly(fastify: FastifyInstance, options: { bodyLimit: number; rawBody: boolean }): void {
  fastify.removeAllContentTypeParsers();
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: options.bodyLimit }, (request, body, done) => {
    const bytes = body as Buffer;
    if (options.rawBody) (request as FastifyRequest & { rawBody?: Buffer }).rawBody = bytes;
    const text = bytes.toString('utf8');
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(new BadRequestException(`the JSON body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`), undefined);
      return;
    }
    parse(request, text, done);
  });
}
