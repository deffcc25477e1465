import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';

/**
 * For a PATCH body whose fields are all optional: one that sets none of them (or no body at all)
 * changes nothing and says nothing, so it is refused rather than answered 200.
 */
@Injectable()
export class SomeChangePipe implements PipeTransform<unknown> {
  transform(value: unknown): unknown {
    const fields = typeof value === 'object' && value !== null ? Object.values(value).filter((field) => field !== undefined) : [];
    if (fields.length === 0) throw new BadRequestException('the body changes nothing: give at least one field to change');
    return value;
  }
}
