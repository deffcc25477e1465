/**
 * What no stored text may hold: NUL (Postgres refuses it in text; C libraries end a string there),
 * the other C0 controls and DEL but tab, line feed and carriage return (nothing a person types; they
 * break logs, headers and e-mails made from the text later), and a lone UTF-16 surrogate (it has no
 * UTF-8 spelling and would be stored as U+FFFD, not as what was sent).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const UNSTORABLE_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]|\p{Cs}/u;

export interface UnstorableText {
  /** Where it is, as a property path: "address.line1", "variants[2].sku", or "" for the value itself. */
  path: string;
}

const UNSTORABLE_CHARACTERS = new RegExp(UNSTORABLE_CHARACTER.source, 'gu');

interface Visit {
  value: unknown;
  path: string;
}

function pathOf(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/**
 * The first string (value or property name) in a request that no store should keep, or undefined.
 * Walks plain objects and arrays without recursion, so no shape of input can exhaust the stack;
 * bytes (a webhook's raw body) are not text and are left alone.
 */
export function findUnstorableText(value: unknown): UnstorableText | undefined {
  const pending: Visit[] = [{ value, path: '' }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      if (UNSTORABLE_CHARACTER.test(current)) return { path };
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index -= 1) pending.push({ value: current[index], path: pathOf(path, index) });
    } else if (typeof current === 'object' && current !== null && !ArrayBuffer.isView(current) && !(current instanceof Date)) {
      const keys = Object.keys(current);
      for (let index = keys.length - 1; index >= 0; index -= 1) {
        const key = keys[index]!;
        if (UNSTORABLE_CHARACTER.test(key)) return { path: pathOf(path, key.replace(UNSTORABLE_CHARACTERS, '?')) };
        pending.push({ value: (current as Record<string, unknown>)[key], path: pathOf(path, key) });
      }
    }
  }
  return undefined;
}

/** The words for a refusal, naming the field. */
export function unstorableTextMessage({ path }: UnstorableText, what = 'the request'): string {
  return `${path === '' ? what : path} must not contain control characters (such as NUL) or unpaired surrogates`;
}
