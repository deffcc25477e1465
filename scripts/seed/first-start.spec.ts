import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoCatalogueStep, demoLoadMarkerFile, readDemoLoadMarker, writeDemoLoadMarker } from './first-start';

describe('demoCatalogueStep', () => {
  it('loads an empty catalogue, resumes a load that never ended, and leaves a catalogue otherwise', () => {
    expect(demoCatalogueStep(true, 0, undefined)).toBe('load');
    expect(demoCatalogueStep(true, 0, { state: 'loaded', products: 2000 })).toBe('load');
    expect(demoCatalogueStep(true, 500, { state: 'loading', products: 2000 })).toBe('resume');
    expect(demoCatalogueStep(true, 2000, { state: 'loaded', products: 2000 })).toBe('leave');
    // Products that no load of ours began: the shop's own.
    expect(demoCatalogueStep(true, 12, undefined)).toBe('leave');
    expect(demoCatalogueStep(false, 0, undefined)).toBe('skip');
  });
});

describe('the demo load marker', () => {
  it('is read back as written, and a damaged one as none', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'shop-marker-'));
    expect(readDemoLoadMarker(dataDir)).toBeUndefined();
    writeDemoLoadMarker(dataDir, { state: 'loading', products: 1200 });
    expect(readDemoLoadMarker(dataDir)).toEqual({ state: 'loading', products: 1200 });
    writeFileSync(demoLoadMarkerFile(dataDir), '{"state":');
    expect(readDemoLoadMarker(dataDir)).toBeUndefined();
  });
});
