/**
 * What every walk on the analysed demo sets up and tears down alike: a run folder of its own, a workbench
 * opened on a fresh copy of the demo (demo-fixture.ts), a screenshot of the page and its last console errors
 * when a step fails (test/e2e/.tmp/failures, named after the walk and the step), and the folder removed at
 * the end. Call it at the top of a walk file; its hooks apply to every test of the file.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { copyAnalysedDemo } from './demo-fixture';
import { launchWorkbench, tmpRoot, type Workbench } from './harness';
import { openWorkspaceFile } from './page-helpers';

export interface AnalysedWalk {
  readonly runDir: string;
  /** Set once the walk's beforeAll has run. */
  readonly wb: Workbench;
  readonly page: Page;
}

export function analysedDemoWalk(name: string): AnalysedWalk {
  const walk: { runDir: string; wb?: Workbench; page?: Page } = { runDir: join(tmpRoot, `${name}-${process.pid}-${Date.now()}`) };

  beforeAll(async () => {
    mkdirSync(walk.runDir, { recursive: true });
    walk.wb = await launchWorkbench({ recentFile: join(walk.runDir, 'recent.json') });
    walk.page = walk.wb.page;
    await openWorkspaceFile(walk.wb, copyAnalysedDemo(walk.runDir));
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail' || !walk.page) return;
    console.log(`${name}: last console errors`, walk.wb?.consoleErrors.slice(-5));
    const dir = join(tmpRoot, 'failures');
    mkdirSync(dir, { recursive: true });
    await walk.page.screenshot({ path: join(dir, `${name}-${ctx.task.name.slice(0, 40).replace(/[^\w\u4e00-\u9fff]+/g, '_')}.png`) }).catch(() => undefined);
  });

  afterAll(async () => {
    await walk.wb?.close();
    rmSync(walk.runDir, { recursive: true, force: true });
  });

  return walk as AnalysedWalk;
}
