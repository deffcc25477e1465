/** Unique-constraint violation: P2002 from Prisma's own queries, 23505 from raw SQL. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as { code?: string }).code === 'P2002') return true;
  return /\b23505\b|unique constraint/i.test(String((error as { message?: string }).message));
}
