/**
 * The data-quality report (quality.run): per table of the dictionary, rows, completeness and validity per
 * field, distinct counts where cheap, orphans of soft references, duplicates and freshness. One aggregate
 * pass per table (table-pass.ts) keeps it to seconds per million rows; progress is reported chunk by chunk
 * and the job can be cancelled between chunks. Read-only: the report is returned, nothing is written.
 */
import type { QualityReport, TableQuality } from '../../../shared/api';
import { ENTITIES } from '../../../shared/dictionary';
import type { JobContext } from '../context';
import { localToday } from '../customers/today';
import { readSettings } from '../settings-store';
import { qualityFindings } from './findings';
import { isDimension, tableChecks } from './checks';
import { countDuplicates } from './duplicates';
import { shapeTable } from './shape';
import { planChunks, runTablePass, type ChunkSizes } from './table-pass';

/** Dimension tables up to this many rows get a distinct count for every column. */
const FULL_DISTINCT_MAX_ROWS = 200_000;

export interface QualityOptions {
  /** 'YYYY-MM-DD' after which dates are "in the future"; the local date by default. */
  today?: string;
  /** Chunk sizes of the passes; tests shrink them to check that chunked counts add up. */
  chunks?: ChunkSizes;
}

export async function qualityReport(ctx: JobContext, options: QualityOptions = {}): Promise<QualityReport> {
  const db = ctx.db();
  const today = options.today ?? localToday();
  const settings = readSettings(db).quality;
  const thresholds = { green: settings.green, amber: settings.amber };
  ctx.progress('准备数据质量检查', 0, 1);
  const plans = ENTITIES.map((entity) => ({ entity, plan: planChunks(db, entity.table, entity.keyFields, options.chunks) }));
  // Each chunk is a unit of progress; the duplicate check of a table counts as one more.
  const total = plans.reduce((sum, p) => sum + p.plan.chunks.length + 1, 0);
  let done = 0;

  const tables: TableQuality[] = [];
  for (const [index, { entity, plan }] of plans.entries()) {
    const phase = `检查${entity.label}（${index + 1}/${plans.length}）`;
    const checks = tableChecks(entity, {
      today,
      fullDistinct: (key) => isDimension(key) && plan.chunks.length === 1 && plan.rowSpan !== null && plan.rowSpan <= FULL_DISTINCT_MAX_ROWS,
    });
    const pass = await runTablePass(db, checks, plan, today, async () => {
      done += 1;
      ctx.progress(phase, done, total);
      await nextTurn();
      ctx.throwIfCancelled();
    });
    const duplicates = countDuplicates(db, entity.key);
    done += 1;
    ctx.progress(phase, done, total);
    tables.push(shapeTable(checks, pass, duplicates, thresholds));
    ctx.throwIfCancelled();
  }
  ctx.progress('核对业务问题', total, total);
  const findings = qualityFindings(db, settings, today);
  return { generatedAt: new Date().toISOString(), tables, findings, thresholds };
}

/** Lets the worker's event loop deliver messages between chunks. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
