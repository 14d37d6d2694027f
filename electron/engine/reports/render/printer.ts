/**
 * What turns a report's HTML into a PDF and its charts into pictures. The engine never holds a browser of
 * its own: the CLI, the tests and the benchmark print with the installed Chromium through playwright-core
 * (chromium-printer.ts), the app with Electron's webContents.printToPDF in the main process
 * (electron/main/report-printer.ts). Both print the same HTML, A4, its @page rules giving the margins, the
 * header, the page numbers and the 内部资料 footer.
 *
 * Jobs run in the engine's worker thread; the EngineHost owns the printer and answers the worker's print
 * requests (worker/protocol.ts), so a job reaches it as `ctx.printer`.
 */
export interface ImageClip {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ReportPrinter {
  /** One self-contained HTML document as an A4 PDF. */
  pdf(html: string): Promise<Uint8Array>;
  /** Lays out `html` in a viewport of `size` (CSS pixels) and returns a PNG of each clip, at twice the resolution. */
  images(html: string, size: { width: number; height: number }, clips: readonly ImageClip[]): Promise<Uint8Array[]>;
  /** Releases the browser, if one was started. */
  close?(): Promise<void>;
}

/** Pages of a PDF, counted from its page objects (Chromium writes one "/Type /Page" per page). */
export function pdfPageCount(pdf: Uint8Array): number {
  const text = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  return (text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}
