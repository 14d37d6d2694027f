/**
 * The report renderers without a browser: the font subset, the HTML page (escaping, page boxes, no
 * remote asset), the charts' SVG and the formatting of values.
 */
import { describe, expect, it } from 'vitest';
import { formatValue } from '../../../electron/engine/reports/document/format';
import type { ReportDocument } from '../../../electron/engine/reports/document/model';
import { chartSvg } from '../../../electron/engine/reports/render/charts';
import { subsetFont } from '../../../electron/engine/reports/render/font-subset';
import { reportFont } from '../../../electron/engine/reports/render/fonts';
import { reportHtml } from '../../../electron/engine/reports/render/html';
import { pdfPageCount } from '../../../electron/engine/reports/render/printer';

/** Code point → glyph id of a format 12 subtable, read back from a subset. */
function glyphsOf(font: Buffer): Map<number, number> {
  const count = font.readUInt16BE(4);
  for (let i = 0; i < count; i++) {
    if (font.toString('latin1', 12 + i * 16, 16 + i * 16) !== 'cmap') continue;
    const cmap = font.subarray(font.readUInt32BE(20 + i * 16));
    const map = new Map<number, number>();
    for (let t = 0; t < cmap.readUInt16BE(2); t++) {
      const offset = cmap.readUInt32BE(8 + t * 8);
      if (cmap.readUInt16BE(offset) !== 12) continue;
      for (let g = 0; g < cmap.readUInt32BE(offset + 12); g++) map.set(cmap.readUInt32BE(offset + 16 + g * 12), cmap.readUInt32BE(offset + 24 + g * 12));
    }
    return map;
  }
  return new Map();
}

const doc: ReportDocument = {
  kind: 'branch',
  title: '支行经营周报',
  subtitle: '测试',
  branchName: '东门支行',
  asOf: '2026-10-31',
  generatedAt: '2026-11-02T01:00:00.000Z',
  masked: true,
  highlights: ['在册客户 1,953 人'],
  sections: [
    {
      id: 's',
      title: '名单',
      narrative: '客户 <b>张*三</b> & 李*四',
      blocks: [
        { type: 'table', table: { id: 't', title: '表', columns: [{ key: 'name', label: '姓名', kind: 'text' }, { key: 'aum', label: '资产(万元)', kind: 'wan' }], rows: [{ name: '<script>alert(1)</script>', aum: 12_345_678 }] } },
        { type: 'chart', chart: { id: 'c', title: '图 <1>', type: 'bar', categories: ['<a>', '乙'], series: [{ name: '甲', values: [1, 2] }], valueKind: 'int', unit: '人' } },
      ],
    },
  ],
  notes: ['口径'],
};

describe('report HTML', () => {
  const html = reportHtml(doc);

  it('escapes every text and never refers to anything outside the page', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('客户 &lt;b&gt;张*三&lt;/b&gt; &amp; 李*四');
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:|file:|\/\/)/i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'`);
    expect(html).toContain('1,234.57');
  });

  it('prints the header, page numbers and the confidentiality footer from its @page rules', () => {
    expect(html).toContain('@page');
    expect(html).toContain('@top-left { content: "东门支行 · 支行经营周报"');
    expect(html).toContain('@top-right { content: "数据截至 2026-10-31"');
    expect(html).toContain('@bottom-left { content: "内部资料 注意保密"');
    expect(html).toContain('counter(page)');
    expect(html).toContain('counter(pages)');
  });

  it('draws charts as SVG with their text escaped', () => {
    const svg = chartSvg({ id: 'c', title: '图 <1>', type: 'bar', categories: ['<a>', '乙'], series: [{ name: '甲', values: [1, 2] }], valueKind: 'int', unit: '人' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).not.toContain('<a>');
    expect(svg).toContain('&lt;a&gt;');
  });
});

describe.runIf(reportFont() !== null)('font subset', () => {
  it('keeps exactly the characters asked for, as a font a fraction of the size', () => {
    const font = reportFont()!;
    const subset = subsetFont(font.data, '在册客户 1,953 人')!;
    expect(subset).not.toBeNull();
    expect(subset.length).toBeLessThan(font.data.length / 4);
    expect(subset.readUInt32BE(0)).toBe(0x00010000);
    const glyphs = glyphsOf(subset);
    expect([...glyphs.keys()].map((c) => String.fromCodePoint(c)).sort()).toEqual([...new Set('在册客户 1,953 人')].sort());
    expect([...glyphs.values()].every((g) => g > 0)).toBe(true);
  });

  it('declines what it cannot subset', () => {
    expect(subsetFont(Buffer.from('OTTO0000000000000000', 'latin1'), '字')).toBeNull();
  });
});

describe('values and pages', () => {
  it('formats amounts in 万元, shares, points and signed counts', () => {
    expect(formatValue(305_696_780.3, 'wan')).toBe('30,569.68');
    expect(formatValue(0.9778, 'pct')).toBe('97.8%');
    expect(formatValue(-0.0156, 'pp')).toBe('−1.6');
    expect(formatValue(60, 'signedInt')).toBe('+60');
    expect(formatValue(-11_756_896.87, 'signedWan')).toBe('−1,175.69');
    expect(formatValue(null, 'int')).toBe('—');
  });

  it('counts the pages of a PDF from its page objects', () => {
    const pdf = Buffer.from('1 0 obj << /Type /Pages /Count 2 >> 2 0 obj << /Type /Page >> 3 0 obj <</Type/Page/Parent 1 0 R>>', 'latin1');
    expect(pdfPageCount(pdf)).toBe(2);
  });
});
