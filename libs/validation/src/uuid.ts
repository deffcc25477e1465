const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether a value is a UUID in its canonical text form, any case (as Postgres reads one): checked
 * before an id reaches a `::uuid` cast or a uuid column, where anything else is a database error.
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
