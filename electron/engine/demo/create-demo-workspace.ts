/**
 * The demo branch (示范支行) as a workspace: generate the export files a bank system would produce, then
 * load them through the real importer, exactly as an analyst's own files would go in.
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DemoResult, ImportResult, ParsedRequestOf } from '../../../shared/api';
import type { JobContext } from '../context';
import { openWorkspace } from '../db/workspace';
import { EngineError } from '../errors';
import { refreshCustomerSummary } from '../customers/customer-summary';
import { importFile } from '../import/importer';
import { analyseDemo } from './demo-analysis';
import { demoAsOfDate, generateDemoFiles } from './index';

export async function createDemoWorkspace(ctx: JobContext, request: ParsedRequestOf<'demo.create'>): Promise<DemoResult> {
  const started = Date.now();
  if (existsSync(request.path) && statSync(request.path).size > 0) {
    if (!request.overwrite) throw new EngineError('bad_input', `文件已存在：${request.path}。请换一个文件名，或选择覆盖`);
    removeWorkspaceFiles(request.path);
  }
  const dir = mkdtempSync(join(tmpdir(), 'bpw-demo-'));
  let completed = false;
  try {
    const generated = await generateDemoFiles(
      { dir, customers: request.customers, seed: request.seed, txPerYear: request.txPerYear, months: request.months, dirty: request.dirty, encoding: request.encoding },
      { onProgress: (phase, done, total) => ctx.progress(phase, done, total), throwIfCancelled: () => ctx.throwIfCancelled() },
    );
    const db = openWorkspace(request.path, { create: true, passphrase: request.passphrase });
    const imports: ImportResult[] = [];
    let analysis: DemoResult['analysis'] = null;
    try {
      const importCtx: JobContext = { ...ctx, db: () => db, workspacePath: () => request.path };
      for (const file of generated.files) {
        // Dates are checked against the demo's own calendar, not this machine's clock, so the demo loads the
        // same way on a machine whose clock is behind the demo's end month.
        const result = await importFile(importCtx, { file: file.path, entity: file.entity, policy: request.dirty ? 'skip-bad' : 'reject' }, { today: demoAsOfDate(), refreshSummary: false });
        if (result.status === 'rejected') {
          throw new EngineError('internal', `示范数据导入失败：${result.message}`, JSON.stringify(result.errors.slice(0, 20)));
        }
        imports.push(result);
      }
      ctx.progress('更新客户列表', 0, 1);
      refreshCustomerSummary(db);
      db.exec('ANALYZE');
      if (request.analyze) analysis = await analyseDemo(importCtx);
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
    completed = true;
    return {
      path: request.path,
      customers: request.customers,
      files: generated.files.map((f) => f.path.slice(dir.length + 1)),
      imports,
      defects: generated.defects.map((d) => ({ ...d, file: d.file.startsWith(dir) ? d.file.slice(dir.length + 1) : d.file })),
      analysis,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (!completed) removeWorkspaceFiles(request.path);
  }
}

function removeWorkspaceFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}
