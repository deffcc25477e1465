import type { OneOf } from './integration-event';

/** What a copy of inventory's stock keeps of a SKU: how many can be bought, as of which version of its stock row. */
export interface AvailabilityLevel {
  sku: string;
  available: number;
  /** 0 for a level from before events carried versions. */
  version: number;
}

/** The inventory events that say what SKUs' stock became (reserved, released and committed carry `levels` when new enough). */
export const STOCK_LEVEL_EVENTS = ['inventory.stock_changed', 'inventory.reserved', 'inventory.released', 'inventory.committed'] as const;
export type StockLevelEvent = OneOf<(typeof STOCK_LEVEL_EVENTS)[number]>;

/** The levels an event carries; none from an older reservation event that did not carry them. */
export function levelsCarried(event: StockLevelEvent): AvailabilityLevel[] {
  if (event.type === 'inventory.stock_changed') {
    const { sku, available, version } = event.payload;
    return [{ sku, available, version: version ?? 0 }];
  }
  return (event.payload.levels ?? []).map(({ sku, available, version }) => ({ sku, available, version }));
}

/**
 * Whether a level of version `incoming` replaces the one kept at `kept` (none kept: undefined). Only a
 * higher version does, so a late or repeated event never takes a SKU back; a level without a version
 * (0, from before versions) replaces only another such, the later heard winning as before versions.
 */
export function supersedes(kept: number | undefined, incoming: number): boolean {
  if (kept === undefined) return true;
  return incoming > kept || (incoming === 0 && kept === 0);
}

/** The level each SKU ends at after these, heard in this order: one per SKU. */
export function latestLevels(levels: Iterable<AvailabilityLevel>): AvailabilityLevel[] {
  const latest = new Map<string, AvailabilityLevel>();
  for (const level of levels) {
    if (supersedes(latest.get(level.sku)?.version, level.version)) latest.set(level.sku, level);
  }
  return [...latest.values()];
}
