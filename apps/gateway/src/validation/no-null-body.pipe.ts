import { type ArgumentMetadata, BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

/** Where the first null in a JSON body is ("address.line2", "variants[1].attributes"), or undefined. Iterative: any depth. */
export function findNull(value: unknown): string | undefined {
  const pending: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (current === null) return path;
    if (Array.isArray(current)) current.forEach((item, index) => pending.push({ value: item, path: `${path}[${index}]` }));
    else if (typeof current === 'object' && current !== undefined && !ArrayBuffer.isView(current)) {
      for (const [key, item] of Object.entries(current)) pending.push({ value: item, path: path === '' ? key : `${path}.${key}` });
    }
  }
  return undefined;
}

/**
 * No field of a body takes null: an optional one is left out. (class-validator's IsOptional lets null
 * through as if the field were absent, so `{ "name": null }` would otherwise pass where the OpenAPI
 * document says a string, and reach a service as a change that says nothing.)
 */
@Injectable()
export class NoNullBodyPipe implements PipeTransform<unknown> {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'body' || value === undefined) return value;
    if (value === null) throw new BadRequestException(['the body must be a JSON object, not null']);
    const path = findNull(value);
    if (path !== undefined) throw new BadRequestException([`${path === '' ? 'the body' : path} must not be null: leave out a field you do not set`]);
    return value;
  }
}
