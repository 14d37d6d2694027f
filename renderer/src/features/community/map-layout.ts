/**
 * Layouts of the grid map, drawn as SVG without map tiles (nothing leaves the machine):
 * - by coordinates, when every community of the register has a longitude and latitude: an equirectangular
 *   projection (longitudes shrunk by the cosine of the mean latitude, enough at the scale of a branch's
 *   streets), each grid a box around its communities;
 * - by grid otherwise: grids as boxes in rows and columns, their communities as tiles inside.
 * Pure functions of the rows, so a unit test can hold them to the geometry.
 */
export interface MapItem {
  id: string;
  name: string;
  gridId: string | null;
  gridName: string | null;
  longitude: number | null;
  latitude: number | null;
}

export interface MapBox {
  id: string;
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface MapLayout {
  mode: 'coordinates' | 'grid';
  width: number;
  height: number;
  grids: MapBox[];
  /** Community tiles (grid layout) or the squares centred on each community (coordinates). */
  cells: MapBox[];
}

const TILE_W = 124;
const TILE_H = 58;
const GAP = 10;
const PAD = 14;
const HEAD = 26;
const NO_GRID = '';

export function hasCoordinates(items: readonly Pick<MapItem, 'longitude' | 'latitude'>[]): boolean {
  return items.length > 0 && items.every((i) => typeof i.longitude === 'number' && typeof i.latitude === 'number');
}

function groupByGrid(items: readonly MapItem[]): Map<string, MapItem[]> {
  const groups = new Map<string, MapItem[]>();
  const sorted = [...items].sort((a, b) => (a.gridId ?? '\uffff').localeCompare(b.gridId ?? '\uffff') || a.id.localeCompare(b.id));
  for (const item of sorted) groups.set(item.gridId ?? NO_GRID, [...(groups.get(item.gridId ?? NO_GRID) ?? []), item]);
  return groups;
}

/** Grids as boxes of tiles, filled row by row; `noGridLabel` names the box of communities without a grid. */
export function layoutByGrid(items: readonly MapItem[], noGridLabel: string): MapLayout {
  const groups = [...groupByGrid(items).entries()];
  const perRow = Math.max(1, Math.ceil(Math.sqrt(groups.length)));
  const boxes = groups.map(([gridId, members]) => {
    const cols = Math.max(1, Math.ceil(Math.sqrt(members.length)));
    const rows = Math.ceil(members.length / cols);
    return { gridId, members, cols, w: PAD * 2 + cols * TILE_W + (cols - 1) * GAP, h: HEAD + PAD + rows * TILE_H + (rows - 1) * GAP + PAD };
  });
  const grids: MapBox[] = [];
  const cells: MapBox[] = [];
  let y = 0;
  let width = 0;
  for (let start = 0; start < boxes.length; start += perRow) {
    const line = boxes.slice(start, start + perRow);
    let x = 0;
    for (const box of line) {
      const name = box.gridId === NO_GRID ? noGridLabel : (box.members[0]?.gridName ?? box.gridId);
      grids.push({ id: box.gridId, name, x, y, w: box.w, h: box.h });
      box.members.forEach((m, i) => {
        const col = i % box.cols;
        const row = Math.floor(i / box.cols);
        cells.push({ id: m.id, name: m.name, x: x + PAD + col * (TILE_W + GAP), y: y + HEAD + row * (TILE_H + GAP), w: TILE_W, h: TILE_H });
      });
      x += box.w + GAP * 2;
    }
    width = Math.max(width, x - GAP * 2);
    y += Math.max(...line.map((b) => b.h)) + GAP * 2;
  }
  return { mode: 'grid', width, height: Math.max(0, y - GAP * 2), grids, cells };
}

/** Communities where they are; each grid a box around its communities with room for its name. */
export function layoutByCoordinates(items: readonly MapItem[], noGridLabel: string, size = { width: 960, height: 480 }): MapLayout {
  const lngs = items.map((i) => i.longitude as number);
  const lats = items.map((i) => i.latitude as number);
  const shrink = Math.cos(((Math.min(...lats) + Math.max(...lats)) / 2) * (Math.PI / 180));
  const spanX = Math.max((Math.max(...lngs) - Math.min(...lngs)) * shrink, 1e-9);
  const spanY = Math.max(Math.max(...lats) - Math.min(...lats), 1e-9);
  const margin = { x: TILE_W / 2 + PAD + 4, y: TILE_H / 2 + HEAD + 4 };
  const scale = Math.min((size.width - 2 * margin.x) / spanX, (size.height - 2 * margin.y) / spanY);
  const left = Math.min(...lngs);
  const top = Math.max(...lats);
  const cells = items.map((i): MapBox => {
    const cx = margin.x + ((i.longitude as number) - left) * shrink * scale;
    const cy = margin.y + (top - (i.latitude as number)) * scale;
    return { id: i.id, name: i.name, x: cx - TILE_W / 2, y: cy - TILE_H / 2, w: TILE_W, h: TILE_H };
  });
  const byId = new Map(cells.map((c) => [c.id, c]));
  const grids = [...groupByGrid(items).entries()].map(([gridId, members]): MapBox => {
    const boxes = members.map((m) => byId.get(m.id) as MapBox);
    const x = Math.min(...boxes.map((b) => b.x)) - PAD;
    const y = Math.min(...boxes.map((b) => b.y)) - HEAD;
    const w = Math.max(...boxes.map((b) => b.x + b.w)) + PAD - x;
    const h = Math.max(...boxes.map((b) => b.y + b.h)) + PAD - y;
    return { id: gridId, name: gridId === NO_GRID ? noGridLabel : (members[0]?.gridName ?? gridId), x, y, w, h };
  });
  const width = Math.max(size.width, ...grids.map((g) => g.x + g.w));
  const height = Math.max(size.height, ...grids.map((g) => g.y + g.h));
  return { mode: 'coordinates', width, height, grids, cells };
}

/** A sequential blue from pale (low) to the bank blue (high); grey without a value. */
export function colourFor(value: number | null, min: number, max: number): string {
  if (value === null || !Number.isFinite(value)) return '#e3e6eb';
  const t = max > min ? (value - min) / (max - min) : 1;
  const from = [233, 239, 248];
  const to = [23, 73, 127];
  const c = from.map((f, i) => Math.round(f + (to[i]! - f) * Math.min(1, Math.max(0, t))));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** Dark text on pale tiles, white on deep ones. */
export function textColourFor(value: number | null, min: number, max: number): string {
  if (value === null || !Number.isFinite(value)) return '#3c4656';
  const t = max > min ? (value - min) / (max - min) : 1;
  return t > 0.55 ? '#ffffff' : '#1f2a3a';
}
