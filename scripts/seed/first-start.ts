// Whether a start loads the demo catalogue, finishes a load that was interrupted, or leaves the
// catalogue alone. A marker file beside the data records that a load began and whether it ended.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DemoLoadMarker {
  state: 'loading' | 'loaded';
  /** Products the load was asked for: a resumed load finishes that one. */
  products: number;
}

export type DemoCatalogueStep = 'skip' | 'load' | 'resume' | 'leave';

/**
 * - not wanted (SEED_DEMO_DATA=false): nothing;
 * - an empty catalogue: load it (a first start, or a database made anew);
 * - products there and a load that began but never ended (Ctrl+C, a crash): resume it; the seed
 *   skips the products that exist and sets stock again to the same counts;
 * - products there otherwise: they are the shop's, leave them.
 */
export function demoCatalogueStep(wanted: boolean, productsInCatalogue: number, marker: DemoLoadMarker | undefined): DemoCatalogueStep {
  if (!wanted) return 'skip';
  if (productsInCatalogue === 0) return 'load';
  if (marker?.state === 'loading') return 'resume';
  return 'leave';
}

export function demoLoadMarkerFile(dataDir: string): string {
  return join(dataDir, 'demo-catalogue.json');
}

export function readDemoLoadMarker(dataDir: string): DemoLoadMarker | undefined {
  const file = demoLoadMarkerFile(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    const marker = JSON.parse(readFileSync(file, 'utf8')) as DemoLoadMarker;
    return (marker.state === 'loading' || marker.state === 'loaded') && Number.isInteger(marker.products) ? marker : undefined;
  } catch {
    return undefined;
  }
}

export function writeDemoLoadMarker(dataDir: string, marker: DemoLoadMarker): void {
  writeFileSync(demoLoadMarkerFile(dataDir), `${JSON.stringify(marker)}\n`);
}
