import { z } from 'zod';

/** Money on the bus: integer minor units and an ISO 4217 currency code, never a float. */
export const MoneyV1 = z.object({ amount: z.number().int(), currency: z.string().length(3) });
export type MoneyV1 = z.infer<typeof MoneyV1>;

// Any 8-4-4-4-12 hex id: ids made by other tools (fixtures, imports) are not all RFC 4122 v4.
export const uuid = z.guid();
