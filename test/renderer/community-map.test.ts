/**
 * The grid map's layouts: by coordinates, communities keep their relative positions and every grid's box
 * holds its communities; by grid, tiles never overlap and each sits inside its grid's box.
 */
import { describe, expect, it } from 'vitest';
import { COMMUNITIES } from '../../electron/engine/demo/reference-data';
import { colourFor, hasCoordinates, layoutByCoordinates, layoutByGrid, type MapBox, type MapItem } from '../../renderer/src/features/community/map-layout';

const demo: MapItem[] = COMMUNITIES.map((c) => ({ id: c.id, name: c.name, gridId: c.gridId, gridName: c.gridName, longitude: c.longitude, latitude: c.latitude }));
const overlap = (a: MapBox, b: MapBox) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const inside = (inner: MapBox, outer: MapBox) => inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h;

function expectTidy(layout: ReturnType<typeof layoutByGrid>, items: readonly MapItem[]): void {
  expect(layout.cells.map((c) => c.id).sort()).toEqual(items.map((i) => i.id).sort());
  for (let i = 0; i < layout.cells.length; i++) for (let j = i + 1; j < layout.cells.length; j++) expect(overlap(layout.cells[i]!, layout.cells[j]!)).toBe(false);
  for (const item of items) {
    const grid = layout.grids.find((g) => g.id === (item.gridId ?? ''))!;
    expect(inside(layout.cells.find((c) => c.id === item.id)!, grid)).toBe(true);
  }
}

describe('grid map layout', () => {
  it('places the demo communities by their coordinates, north up and east right, without overlapping tiles', () => {
    expect(hasCoordinates(demo)).toBe(true);
    const layout = layoutByCoordinates(demo, '未划分网格');
    expectTidy(layout, demo);
    const at = (id: string) => layout.cells.find((c) => c.id === id)!;
    // SQ012 is the north-western community, SQ006 the south-eastern one.
    expect(at('SQ012').x).toBeLessThan(at('SQ006').x);
    expect(at('SQ012').y).toBeLessThan(at('SQ006').y);
    expect(layout.grids).toHaveLength(6);
    for (let i = 0; i < layout.grids.length; i++) for (let j = i + 1; j < layout.grids.length; j++) expect(overlap(layout.grids[i]!, layout.grids[j]!)).toBe(false);
  });

  it('lays out communities without coordinates by grid, those without a grid in a box of their own', () => {
    const items: MapItem[] = [
      ...Array.from({ length: 77 }, (_, i) => ({ id: String(i + 1), name: `D${i + 1}`, gridId: null, gridName: null, longitude: null, latitude: null })),
      { id: 'A1', name: '甲', gridId: 'G1', gridName: '一网格', longitude: null, latitude: null },
      { id: 'A2', name: '乙', gridId: 'G1', gridName: '一网格', longitude: null, latitude: null },
    ];
    expect(hasCoordinates(items)).toBe(false);
    const layout = layoutByGrid(items, '未划分网格');
    expectTidy(layout, items);
    expect(layout.grids.map((g) => g.name)).toEqual(['一网格', '未划分网格']);
  });

  it('colours from pale to deep blue, grey without a value', () => {
    expect(colourFor(0, 0, 10)).toBe('rgb(233, 239, 248)');
    expect(colourFor(10, 0, 10)).toBe('rgb(23, 73, 127)');
    expect(colourFor(null, 0, 10)).toBe('#e3e6eb');
  });
});
