import { applyDecorators } from '@nestjs/common';
import { Matches } from 'class-validator';

/** JavaScript's trim() whitespace, spelt out: `\s` means other characters in other regular expression engines (Python's, a fuzzer's). */
export const SPACE = '\\t\\n\\v\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF';
/** What findUnstorableText refuses in any text, lone surrogates aside. */
export const CONTROL = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F';

/** Text with something in it besides spaces: the services trim names, lines and messages and refuse what is left empty. */
export const VISIBLE_TEXT = new RegExp(`^[^${CONTROL}]*[^${SPACE}${CONTROL}][^${CONTROL}]*$`);

/** Refuses blank text (spaces only) as the service behind would, in words naming the field; the OpenAPI property says `pattern: VISIBLE_TEXT.source`. */
export function IsVisibleText() {
  return applyDecorators(Matches(VISIBLE_TEXT, { message: ({ property }) => `${property} must not be blank` }));
}
