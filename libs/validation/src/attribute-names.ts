/** A product attribute's name, as stored and as filtered on (attr.<name>=<value>): a short lower-case word. */
export const ATTRIBUTE_NAME = /^[a-z][a-z0-9_-]{0,39}$/;

/**
 * Names a plain JavaScript object already answers to. Attributes live in JSON objects, and a filter
 * on one of these once reached Object.prototype ("attr.constructor=x" was a 500); they name nothing
 * a shop sells, so they are refused rather than special-cased wherever attributes are looked up.
 */
export const RESERVED_ATTRIBUTE_NAMES: ReadonlySet<string> = new Set(['constructor', 'prototype', '__proto__']);

/** Why `name` cannot be an attribute name, or undefined when it can. */
export function attributeNameProblem(name: string): string | undefined {
  if (!ATTRIBUTE_NAME.test(name)) return `attribute name "${name.slice(0, 50)}" must be a lower-case word of at most 40 letters, digits, "_" or "-"`;
  if (RESERVED_ATTRIBUTE_NAMES.has(name)) return `"${name}" is a reserved name, not an attribute name`;
  return undefined;
}
