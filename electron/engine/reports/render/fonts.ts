/**
 * The report's Chinese font. The first TrueType CJK font found on the machine (or named by the environment
 * variable BPW_REPORT_FONT, e.g. a font file shipped with the app) is subset to the characters of each
 * report (font-subset.ts) and embedded in the HTML as a data: URL, so the PDF carries it (pdffonts lists it
 * embedded) and nothing is ever fetched. Without such a font the stack of system font names applies: the
 * PDF still embeds whatever font Chromium draws with, but it is the machine's choice.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { subsetFont } from './font-subset';

export const REPORT_FONT_FAMILY = 'BPW Report CJK';
export const REPORT_FONT_STACK = `'${REPORT_FONT_FAMILY}', 'Microsoft YaHei', 'PingFang SC', 'Hiragino Sans GB', 'WenQuanYi Micro Hei', 'Noto Sans CJK SC', 'Source Han Sans SC', sans-serif`;

const windows = process.env.WINDIR ?? 'C:\\Windows';

/** Where CJK TrueType fonts live on Linux, Windows and macOS, most readable first. */
export const FONT_CANDIDATES: readonly string[] = [
  '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
  '/usr/share/fonts/wqy-microhei/wqy-microhei.ttc',
  '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc',
  '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf',
  join(windows, 'Fonts', 'msyh.ttc'),
  join(windows, 'Fonts', 'msyh.ttf'),
  join(windows, 'Fonts', 'simhei.ttf'),
  join(windows, 'Fonts', 'Deng.ttf'),
  '/System/Library/Fonts/STHeiti Medium.ttc',
  '/System/Library/Fonts/STHeiti Light.ttc',
  '/Library/Fonts/Arial Unicode.ttf',
];

interface LoadedFont {
  path: string;
  data: Buffer;
}

let cached: LoadedFont | null | undefined;

/** The font file the reports embed, read once per process; null when none is found. */
export function reportFont(): LoadedFont | null {
  if (cached !== undefined) return cached;
  const candidates = [process.env.BPW_REPORT_FONT, ...FONT_CANDIDATES].filter((p): p is string => typeof p === 'string' && p !== '');
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    try {
      const data = readFileSync(path);
      if (subsetFont(data, '报告') !== null) {
        cached = { path, data };
        return cached;
      }
    } catch {
      // unreadable or not a font: try the next one
    }
  }
  cached = null;
  return cached;
}

/** An @font-face rule embedding the characters of `text`, or '' when there is no font to embed. */
export function fontFaceCss(text: string): string {
  const font = reportFont();
  if (!font) return '';
  const subset = subsetFont(font.data, text);
  if (!subset) return '';
  return `@font-face { font-family: '${REPORT_FONT_FAMILY}'; src: url(data:font/ttf;base64,${subset.toString('base64')}) format('truetype'); font-weight: 100 900; }`;
}
