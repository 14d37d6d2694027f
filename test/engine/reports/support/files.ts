/**
 * Checks on report files as a reader's tools see them: poppler-utils for the PDF (pdftotext, pdffonts,
 * pdftoppm), a zip reader for the PPTX, ExcelJS for the XLSX.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';

export function pdfText(path: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
}

/** Rows of pdffonts: the font name and whether it is embedded. */
export function pdfFonts(path: string): { name: string; embedded: boolean }[] {
  const lines = execFileSync('pdffonts', [path], { encoding: 'utf8' }).split('\n').slice(2).filter((l) => l.trim() !== '');
  return lines.map((line) => {
    const cells = line.trim().split(/\s+/);
    // name, type (one or two words), encoding, emb, sub, uni, object, id: emb is 5th from the end.
    return { name: cells[0] as string, embedded: cells[cells.length - 5] === 'yes' };
  });
}

/** The share of dark pixels on each page, from a small greyscale rendering. */
export function pageInk(path: string): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'bpw-ink-'));
  try {
    execFileSync('pdftoppm', ['-gray', '-r', '24', path, join(dir, 'p')]);
    return readdirSync(dir)
      .filter((f) => f.endsWith('.pgm'))
      .sort()
      .map((f) => {
        const data = readFileSync(join(dir, f));
        // P5\n<w> <h>\n255\n<pixels>
        const header = data.toString('latin1', 0, 40).split(/\s+/);
        const pixels = Number(header[1]) * Number(header[2]);
        const body = data.subarray(data.length - pixels);
        let dark = 0;
        for (const v of body) if (v < 200) dark++;
        return dark / pixels;
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function pptxParts(path: string): Promise<{ slides: string[]; charts: string[] }> {
  const zip = await JSZip.loadAsync(readFileSync(path));
  const names = Object.keys(zip.files);
  return { slides: names.filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n)), charts: names.filter((n) => /^ppt\/charts\/chart\d+\.xml$/.test(n)) };
}

export async function xlsxSheets(path: string): Promise<{ name: string; rows: number; images: number }[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook.worksheets.map((w) => ({ name: w.name, rows: w.rowCount, images: w.getImages().length }));
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
