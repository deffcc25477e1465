import { HeardStockVersions } from './heard-stock-versions';

const level = (sku: string, version: number) => ({ sku, available: 1, version });

describe('HeardStockVersions', () => {
  it('finds nothing behind for SKUs no event was heard of', () => {
    expect(new HeardStockVersions().behind([level('A', 0), level('B', 3)])).toBe(false);
  });

  it('finds a level shown older than the version heard behind, until one as new is shown', () => {
    const versions = new HeardStockVersions();
    versions.heard([level('A', 5)]);
    expect(versions.behind([level('A', 4)])).toBe(true);
    expect(versions.behind([level('A', 4)])).toBe(true);
    expect(versions.behind([level('A', 5)])).toBe(false);
    expect(versions.size).toBe(0);
  });

  it('keeps the newest version heard, whatever order the events came in', () => {
    const versions = new HeardStockVersions();
    versions.heard([level('A', 7), level('A', 6)]);
    versions.heard([level('A', 5)]);
    expect(versions.behind([level('A', 6)])).toBe(true);
    expect(versions.behind([level('A', 8)])).toBe(false);
  });

  it('finds a page behind when any one of its SKUs is', () => {
    const versions = new HeardStockVersions();
    versions.heard([level('A', 2), level('B', 2)]);
    expect(versions.behind([level('A', 2), level('B', 1)])).toBe(true);
    expect(versions.behind([level('A', 1)])).toBe(false);
  });
});
