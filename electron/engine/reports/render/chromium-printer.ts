/**
 * The report printer of the CLI, the tests and the benchmark: Debian's Chromium (or CHROMIUM_PATH) driven
 * by playwright-core, started on first use and kept for the process. Every request a report page makes is
 * refused except data: URLs (the embedded font): a report never reaches the network or the disk.
 *
 * The app does not use this file (electron/main/report-printer.ts prints with Electron itself), so
 * playwright-core never enters the app bundle.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { EngineError } from '../../errors';
import type { ImageClip, ReportPrinter } from './printer';

export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-dev-shm-usage'];

export function chromiumExecutable(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

export class ChromiumPrinter implements ReportPrinter {
  private browser: Promise<Browser> | null = null;
  private context: Promise<BrowserContext> | null = null;

  private async page(): Promise<Page> {
    if (!this.browser) {
      const executablePath = chromiumExecutable();
      if (!existsSync(executablePath)) throw new EngineError('bad_input', `找不到 Chromium（${executablePath}），无法生成 PDF。请安装 chromium，或用环境变量 CHROMIUM_PATH 指明其位置`);
      this.browser = chromium.launch({ executablePath, args: CHROMIUM_FLAGS });
      this.context = this.browser.then((b) => b.newContext({ deviceScaleFactor: 2, javaScriptEnabled: true, offline: true }));
    }
    const context = await (this.context as Promise<BrowserContext>);
    const page = await context.newPage();
    await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
    return page;
  }

  async pdf(html: string): Promise<Uint8Array> {
    const page = await this.page();
    try {
      await page.setContent(html, { waitUntil: 'load' });
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      return await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    } finally {
      await page.close();
    }
  }

  async images(html: string, size: { width: number; height: number }, clips: readonly ImageClip[]): Promise<Uint8Array[]> {
    const page = await this.page();
    try {
      await page.setViewportSize(size);
      await page.setContent(html, { waitUntil: 'load' });
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const shots: Uint8Array[] = [];
      for (const clip of clips) shots.push(await page.screenshot({ type: 'png', clip }));
      return shots;
    } finally {
      await page.close();
    }
  }

  async close(): Promise<void> {
    const browser = this.browser;
    this.browser = null;
    this.context = null;
    if (browser) await (await browser).close().catch(() => undefined);
  }
}
