import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { standaloneJobContext } from '../../../electron/engine/context';
import { openWorkspace } from '../../../electron/engine/db/workspace';
import { suggestMapping } from '../../../electron/engine/import/mapping';
import { importFile } from '../../../electron/engine/import/importer';
import { demoAsOfDate } from '../../../electron/engine/demo';
import { COLUMNS } from '../../../electron/engine/demo/headers';
import { generate, removeDir } from './helpers';

/**
 * The demo's contract with the importer: every header maps automatically, a clean demo loads without a
 * single rejected row, and a dirty one has each planted defect reported on the row the generator said.
 */
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

async function importAll(dir: string, files: Awaited<ReturnType<typeof generate>>['files']) {
  const db = openWorkspace(join(dir, 'demo.bpw'), { create: true });
  try {
    const ctx = standaloneJobContext(db);
    const results = [];
    for (const f of files) results.push(await importFile(ctx, { file: f.path, entity: f.entity, policy: 'skip-bad' }, { today: demoAsOfDate() }));
    const errors = db
      .prepare('SELECT b.entity AS entity, e.row_number AS row FROM import_errors e JOIN import_batches b USING (batch_id)')
      .all() as { entity: string; row: number }[];
    const counts = Object.fromEntries(
      files.map((f) => [f.entity, (db.prepare(`SELECT count(*) AS n FROM ${f.entity}`).get() as { n: number }).n]),
    ) as Record<string, number>;
    return { results, errors, counts };
  } finally {
    db.close();
  }
}

describe('demo files through the importer', () => {
  it('dates the demo at the end of its last month, whatever the clock says', () => {
    expect(demoAsOfDate()).toBe('2026-10-31');
    expect(demoAsOfDate('2024-02')).toBe('2024-02-29');
  });

  it('maps every demo header to its field automatically', () => {
    for (const [entity, columns] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, (typeof COLUMNS)[keyof typeof COLUMNS]][]) {
      const mapping = suggestMapping(entity, columns.map((c) => c.header));
      for (const c of columns) expect(mapping.columns[c.header], `${entity}: ${c.header}`).toBe(c.field);
    }
  });

  it('loads a clean demo without a rejected row', async () => {
    const run = await generate('import-clean', { customers: 1000, txPerYear: 12 });
    dirs.push(run.dir);
    const { results, counts } = await importAll(run.dir, run.files);
    for (const r of results) {
      expect(r.status, r.entity).toBe('committed');
      expect(r.rowsRejected, r.entity).toBe(0);
    }
    for (const f of run.files) expect(counts[f.entity], f.entity).toBe(f.rows);
  });

  it('reports every planted defect on its row', async () => {
    const run = await generate('import-dirty', { customers: 1500, txPerYear: 12, dirty: true, encoding: 'gb18030' });
    dirs.push(run.dir);
    const { errors } = await importAll(run.dir, run.files);
    expect(run.defects.length).toBeGreaterThan(10);
    for (const d of run.defects) {
      expect(errors.some((e) => e.entity === d.entity && e.row === d.row), `${d.kind} ${d.file} row ${d.row}`).toBe(true);
    }
  });
});
