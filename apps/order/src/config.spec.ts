import { orderConfigSchema } from './config';

const BASE = { DATABASE_URL: 'postgres://localhost/shop_order', EVENTS_DATABASE_URL: 'postgres://localhost/shop_events' };

describe('order configuration', () => {
  it('caps what one shopper holds unpaid at 3 orders and 100 units of a SKU unless told otherwise', () => {
    const config = orderConfigSchema.parse(BASE);
    expect([config.MAX_UNPAID_ORDERS, config.MAX_UNPAID_UNITS_PER_SKU]).toEqual([3, 100]);
    const tight = orderConfigSchema.parse({ ...BASE, MAX_UNPAID_ORDERS: '1', MAX_UNPAID_UNITS_PER_SKU: '2' });
    expect([tight.MAX_UNPAID_ORDERS, tight.MAX_UNPAID_UNITS_PER_SKU]).toEqual([1, 2]);
  });

  it('refuses a cap that is not a whole number of at least 1, naming it', () => {
    for (const bad of [{ MAX_UNPAID_ORDERS: '0' }, { MAX_UNPAID_ORDERS: 'three' }, { MAX_UNPAID_UNITS_PER_SKU: '2.5' }, { MAX_UNPAID_UNITS_PER_SKU: '-1' }]) {
      const parsed = orderConfigSchema.safeParse({ ...BASE, ...bad });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual(Object.keys(bad));
    }
  });
});
