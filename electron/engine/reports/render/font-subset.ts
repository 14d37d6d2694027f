/**
 * A TrueType subset of a CJK font holding only the characters one report uses, so the report's HTML
 * carries its font inline (a data: URL: no file or network access when printing) at a few hundred KB
 * rather than the 5–20 MB of a whole CJK font, which Chromium would otherwise decode and sanitise on
 * every print (measured 3.4 s for WenQuanYi Micro Hei).
 *
 * Written here because no font library is among the project's packages (issue #11 allows a bundled subset;
 * a per-report subset needs no bundled file). It handles TrueType outlines (glyf/loca) in a .ttf or in the
 * first font of a .ttc, which covers the CJK fonts of Windows (微软雅黑, 黑体), Linux (文泉驿) and
 * macOS (华文黑体). Glyph ids are kept: unused glyphs become empty, the character map is rebuilt with only
 * the used characters (so anything missing falls back to a system font instead of printing blank), loca
 * is rewritten in its long form and post drops its glyph names. Fonts whose licence forbids embedding
 * (OS/2 fsType bit 1) or with CFF outlines return null and the report uses the system fonts by name.
 */

interface TableRecord {
  tag: string;
  offset: number;
  length: number;
}

/** Tables a printing engine needs; bitmaps, layout and kerning tables are dropped. */
const KEPT_TABLES = new Set(['cmap', 'head', 'hhea', 'hmtx', 'maxp', 'name', 'OS/2', 'post', 'cvt ', 'fpgm', 'prep', 'gasp', 'glyf', 'loca']);

function tableDirectory(font: Buffer, start: number): Map<string, TableRecord> | null {
  const version = font.readUInt32BE(start);
  if (version !== 0x00010000 && version !== 0x74727565) return null; // 'OTTO' (CFF) and others
  const count = font.readUInt16BE(start + 4);
  const tables = new Map<string, TableRecord>();
  for (let i = 0; i < count; i++) {
    const at = start + 12 + i * 16;
    tables.set(font.toString('latin1', at, at + 4), { tag: font.toString('latin1', at, at + 4), offset: font.readUInt32BE(at + 8), length: font.readUInt32BE(at + 12) });
  }
  return tables;
}

/** The first font of a collection, or the font itself. */
function fontStart(font: Buffer): number {
  return font.toString('latin1', 0, 4) === 'ttcf' ? font.readUInt32BE(12) : 0;
}

/** Code point → glyph id from the best Unicode subtable (format 12, else format 4). */
function readCmap(cmap: Buffer): Map<number, number> {
  const map = new Map<number, number>();
  const count = cmap.readUInt16BE(2);
  let best = -1;
  let bestFormat = 0;
  for (let i = 0; i < count; i++) {
    const platform = cmap.readUInt16BE(4 + i * 8);
    const encoding = cmap.readUInt16BE(6 + i * 8);
    const offset = cmap.readUInt32BE(8 + i * 8);
    const format = cmap.readUInt16BE(offset);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (unicode && (format === 12 || (format === 4 && bestFormat !== 12))) {
      best = offset;
      bestFormat = format;
    }
  }
  if (best < 0) return map;
  if (bestFormat === 12) {
    const groups = cmap.readUInt32BE(best + 12);
    for (let g = 0; g < groups; g++) {
      const at = best + 16 + g * 12;
      const first = cmap.readUInt32BE(at);
      const last = cmap.readUInt32BE(at + 4);
      const glyph = cmap.readUInt32BE(at + 8);
      for (let c = first; c <= last && c - first < 0x110000; c++) map.set(c, glyph + c - first);
    }
    return map;
  }
  const segments = cmap.readUInt16BE(best + 6) / 2;
  const ends = best + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const ranges = deltas + segments * 2;
  for (let s = 0; s < segments; s++) {
    const end = cmap.readUInt16BE(ends + s * 2);
    const startCode = cmap.readUInt16BE(starts + s * 2);
    const delta = cmap.readInt16BE(deltas + s * 2);
    const rangeOffset = cmap.readUInt16BE(ranges + s * 2);
    for (let c = startCode; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
      else {
        const at = ranges + s * 2 + rangeOffset + (c - startCode) * 2;
        glyph = at + 1 < cmap.length ? cmap.readUInt16BE(at) : 0;
        if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
      }
      if (glyph !== 0) map.set(c, glyph);
    }
  }
  return map;
}

/** A cmap with a format 4 subtable for the BMP and a format 12 one for everything, used characters only. */
function writeCmap(used: [number, number][]): Buffer {
  const bmp = used.filter(([c]) => c <= 0xfffe);
  const segCount = bmp.length + 1;
  const format4 = Buffer.alloc(16 + segCount * 8);
  format4.writeUInt16BE(4, 0);
  format4.writeUInt16BE(format4.length, 2);
  format4.writeUInt16BE(segCount * 2, 6);
  const searchRange = 2 * 2 ** Math.floor(Math.log2(segCount));
  format4.writeUInt16BE(searchRange, 8);
  format4.writeUInt16BE(Math.log2(searchRange / 2), 10);
  format4.writeUInt16BE(segCount * 2 - searchRange, 12);
  const segments = [...bmp, [0xffff, 0] as [number, number]];
  segments.forEach(([c, glyph], i) => {
    format4.writeUInt16BE(c, 14 + i * 2);
    format4.writeUInt16BE(c, 16 + segCount * 2 + i * 2);
    format4.writeUInt16BE(c === 0xffff ? 1 : (glyph - c) & 0xffff, 16 + segCount * 4 + i * 2);
  });
  const format12 = Buffer.alloc(16 + used.length * 12);
  format12.writeUInt16BE(12, 0);
  format12.writeUInt32BE(format12.length, 4);
  format12.writeUInt32BE(used.length, 12);
  used.forEach(([c, glyph], i) => {
    format12.writeUInt32BE(c, 16 + i * 12);
    format12.writeUInt32BE(c, 20 + i * 12);
    format12.writeUInt32BE(glyph, 24 + i * 12);
  });
  const header = Buffer.alloc(4 + 3 * 8);
  header.writeUInt16BE(3, 2);
  const records: [number, number, number][] = [
    [0, 3, header.length],
    [3, 1, header.length],
    [3, 10, header.length + format4.length],
  ];
  records.forEach(([platform, encoding, offset], i) => {
    header.writeUInt16BE(platform, 4 + i * 8);
    header.writeUInt16BE(encoding, 6 + i * 8);
    header.writeUInt32BE(offset, 8 + i * 8);
  });
  return Buffer.concat([header, format4, format12]);
}

const COMPONENT_MORE = 0x0020;
const ARGS_ARE_WORDS = 0x0001;
const HAVE_SCALE = 0x0008;
const HAVE_XY_SCALE = 0x0040;
const HAVE_2X2 = 0x0080;

/** Glyph ids a composite glyph is built from. */
function components(glyph: Buffer): number[] {
  if (glyph.length < 10 || glyph.readInt16BE(0) >= 0) return [];
  const ids: number[] = [];
  let at = 10;
  for (;;) {
    const flags = glyph.readUInt16BE(at);
    ids.push(glyph.readUInt16BE(at + 2));
    at += 4 + (flags & ARGS_ARE_WORDS ? 4 : 2);
    if (flags & HAVE_SCALE) at += 2;
    else if (flags & HAVE_XY_SCALE) at += 4;
    else if (flags & HAVE_2X2) at += 8;
    if (!(flags & COMPONENT_MORE) || at + 4 > glyph.length) return ids;
  }
}

function checksum(data: Buffer): number {
  let sum = 0;
  const padded = data.length % 4 === 0 ? data : Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]);
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

function assemble(tables: Map<string, Buffer>): Buffer {
  const tags = [...tables.keys()].sort();
  const count = tags.length;
  const header = Buffer.alloc(12 + count * 16);
  header.writeUInt32BE(0x00010000, 0);
  header.writeUInt16BE(count, 4);
  const power = 2 ** Math.floor(Math.log2(count));
  header.writeUInt16BE(power * 16, 6);
  header.writeUInt16BE(Math.log2(power), 8);
  header.writeUInt16BE(count * 16 - power * 16, 10);
  const head = tables.get('head');
  if (head) head.writeUInt32BE(0, 8);
  let offset = header.length;
  const bodies: Buffer[] = [];
  tags.forEach((tag, i) => {
    const data = tables.get(tag) as Buffer;
    const at = 12 + i * 16;
    header.write(tag, at, 4, 'latin1');
    header.writeUInt32BE(checksum(data), at + 4);
    header.writeUInt32BE(offset, at + 8);
    header.writeUInt32BE(data.length, at + 12);
    const padded = data.length % 4 === 0 ? data : Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]);
    bodies.push(padded);
    offset += padded.length;
  });
  const font = Buffer.concat([header, ...bodies]);
  if (head) {
    const headOffset = header.readUInt32BE(12 + tags.indexOf('head') * 16 + 8);
    font.writeUInt32BE((0xb1b0afba - checksum(font)) >>> 0, headOffset + 8);
  }
  return font;
}

/** The parsed character map of each font file read, since every report subsets the same one. */
const cmapCache = new WeakMap<Buffer, Map<number, number>>();

/**
 * A standalone TrueType font with the glyphs of `text`'s characters, or null when the font cannot be
 * subset (CFF outlines, no Unicode map) or may not be embedded.
 */
export function subsetFont(font: Buffer, text: string): Buffer | null {
  const start = fontStart(font);
  const directory = tableDirectory(font, start);
  if (!directory) return null;
  const table = (tag: string) => {
    const record = directory.get(tag);
    return record ? font.subarray(record.offset, record.offset + record.length) : null;
  };
  const [cmap, head, maxp, loca, glyf] = [table('cmap'), table('head'), table('maxp'), table('loca'), table('glyf')];
  if (!cmap || !head || !maxp || !loca || !glyf) return null;
  const os2 = table('OS/2');
  if (os2 && os2.length >= 10 && (os2.readUInt16BE(8) & 0x000f) === 0x0002) return null; // restricted licence

  const numGlyphs = maxp.readUInt16BE(4);
  const longLoca = head.readInt16BE(50) === 1;
  const glyphAt = (id: number): [number, number] =>
    longLoca ? [loca.readUInt32BE(id * 4), loca.readUInt32BE(id * 4 + 4)] : [loca.readUInt16BE(id * 2) * 2, loca.readUInt16BE(id * 2 + 2) * 2];

  let unicode = cmapCache.get(font);
  if (!unicode) {
    unicode = readCmap(cmap);
    cmapCache.set(font, unicode);
  }
  const used: [number, number][] = [];
  const keep = new Set<number>([0]);
  for (const c of new Set([...text].map((ch) => ch.codePointAt(0) as number))) {
    const glyph = unicode.get(c);
    if (glyph !== undefined && glyph < numGlyphs) {
      used.push([c, glyph]);
      keep.add(glyph);
    }
  }
  used.sort((a, b) => a[0] - b[0]);
  // A format 4 subtable's length is 16 bits: about 8,000 characters, far more than a report uses.
  if (used.length > 8000) return null;
  const pending = [...keep];
  while (pending.length > 0) {
    const id = pending.pop() as number;
    const [from, to] = glyphAt(id);
    for (const part of components(glyf.subarray(from, to))) {
      if (part < numGlyphs && !keep.has(part)) {
        keep.add(part);
        pending.push(part);
      }
    }
  }

  const newLoca = Buffer.alloc((numGlyphs + 1) * 4);
  const pieces: Buffer[] = [];
  let offset = 0;
  for (let id = 0; id < numGlyphs; id++) {
    newLoca.writeUInt32BE(offset, id * 4);
    if (!keep.has(id)) continue;
    const [from, to] = glyphAt(id);
    if (to <= from) continue;
    const data = glyf.subarray(from, to);
    const padded = data.length % 4 === 0 ? data : Buffer.concat([data, Buffer.alloc(4 - (data.length % 4))]);
    pieces.push(padded);
    offset += padded.length;
  }
  newLoca.writeUInt32BE(offset, numGlyphs * 4);

  const out = new Map<string, Buffer>();
  for (const tag of directory.keys()) {
    if (!KEPT_TABLES.has(tag)) continue;
    out.set(tag, Buffer.from(table(tag) as Buffer));
  }
  out.set('glyf', Buffer.concat(pieces));
  out.set('loca', newLoca);
  out.set('cmap', writeCmap(used));
  (out.get('head') as Buffer).writeInt16BE(1, 50);
  const post = out.get('post');
  if (post && post.length >= 32) {
    const short = Buffer.from(post.subarray(0, 32));
    short.writeUInt32BE(0x00030000, 0);
    out.set('post', short);
  }
  return assemble(out);
}
