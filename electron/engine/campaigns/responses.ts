/**
 * campaigns.importResponses: responses come in through the normal importer (campaign_responses, one batch
 * per file or sheet, with its errors, audit row and upsert by campaign and customer), with the campaign's
 * id as a constant. Two shapes are recognised:
 *
 * - a returned call list (the workbook or CSVs this app exported): every manager sheet with 客户号 and
 *   跟进结果; rows whose 跟进结果 is empty are customers not called yet and are skipped, not errors;
 * - a plain file 客户号, 结果, 日期, 金额 (any headers the dictionary knows for these fields).
 *
 * Responses from customers in neither group of the campaign are kept (the branch's sales system may record
 * a purchase the list did not prompt) and reported. The campaign is evaluated again at the end.
 */
import type { ColumnMapping, ImportResult, ParsedRequestOf } from '../../../shared/api';
import type { ResponseImportResult } from '../../../shared/campaigns';
import type { JobContext } from '../context';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { importFile } from '../import/importer';
import { suggestMapping } from '../import/mapping';
import { previewSource } from '../import/source';
import { FOLLOW_UP } from './call-list';
import { evaluateCampaign } from './evaluation';
import { registerHistoryCampaigns, requireCampaign, saveEvaluation } from './store';

type ResponsesRequest = ParsedRequestOf<'campaigns.importResponses'>;

/** Sheets of an exported workbook that are not call lists. */
const NOT_LISTS = new Set(['汇总', '导出说明']);

/** The mapping of a returned call list: its follow-up columns, amounts in 万元. */
export function callListMapping(campaignId: string): ColumnMapping {
  return {
    columns: { [FOLLOW_UP.customerId]: 'customer_id', [FOLLOW_UP.outcome]: 'outcome', [FOLLOW_UP.date]: 'responded_at', [FOLLOW_UP.amount]: 'amount' },
    scales: { amount: 10_000 },
    constants: { campaign_id: campaignId },
  };
}

/** The mapping of a plain response file: the dictionary's suggestion, the campaign always the one chosen. */
export function plainMapping(campaignId: string, headers: readonly string[]): ColumnMapping {
  const suggested = suggestMapping('campaign_responses', headers);
  const columns = Object.fromEntries(Object.entries(suggested.columns).filter(([, field]) => field !== 'campaign_id'));
  return { ...suggested, columns, constants: { ...(suggested.constants ?? {}), campaign_id: campaignId } };
}

export async function importResponses(ctx: JobContext, request: ResponsesRequest): Promise<ResponseImportResult> {
  const db = ctx.db();
  registerHistoryCampaigns(db);
  const campaign = requireCampaign(db, request.campaignId);
  const first = (await previewSource({ file: request.file, sheet: request.sheet }, 1)).info;
  const sheets = first.format === 'xlsx' && request.sheet === undefined ? first.sheets.filter((s) => !NOT_LISTS.has(s)) : [request.sheet ?? first.sheet];
  const imports: (ImportResult & { sheet: string | null })[] = [];
  const skippedSheets: { sheet: string; message: string }[] = [];

  for (const [i, sheet] of sheets.entries()) {
    ctx.throwIfCancelled();
    const headers = sheet === first.sheet ? first.headers : (await previewSource({ file: request.file, sheet: sheet ?? undefined }, 1)).info.headers;
    const isList = headers.includes(FOLLOW_UP.customerId) && headers.includes(FOLLOW_UP.outcome);
    const label = sheet ?? first.fileName;
    try {
      const result = await importFile(
        { ...ctx, progress: (_phase, done, total) => ctx.progress(`导入回执：${label}`, i + (total > 0 ? done / total : 0), sheets.length) },
        { file: request.file, ...(sheet ? { sheet } : {}), entity: 'campaign_responses', policy: request.policy, mapping: isList ? callListMapping(campaign.campaignId) : plainMapping(campaign.campaignId, headers) },
        isList ? { skipRowsBlankIn: FOLLOW_UP.outcome } : {},
      );
      imports.push({ ...result, sheet });
    } catch (error) {
      // A manager who returned an untouched sheet, or a sheet that is not a response list, does not stop
      // the others; the result names it. Anything else is a real failure.
      if (!(error instanceof EngineError) || error.code !== 'bad_input' || sheets.length === 1) throw error;
      skippedSheets.push({ sheet: label, message: error.message });
    }
  }

  const batchIds = imports.filter((r) => r.status === 'committed').map((r) => r.batchId);
  const outsiders = outsidersOf(db, campaign.campaignId, batchIds, campaign.status !== 'history');
  const evaluation = evaluateCampaign(db, campaign.campaignId);
  saveEvaluation(db, campaign.campaignId, evaluation);
  return {
    campaignId: campaign.campaignId,
    imports,
    rowsLoaded: imports.reduce((s, r) => s + r.rowsLoaded, 0),
    rowsRejected: imports.reduce((s, r) => s + r.rowsRejected, 0),
    outsiders,
    evaluation,
    skippedSheets,
  };
}

/** Customers of these batches who are in neither group of the campaign. */
function outsidersOf(db: Db, campaignId: string, batchIds: readonly number[], hasList: boolean): { count: number; sample: string[] } {
  if (!hasList || batchIds.length === 0) return { count: 0, sample: [] };
  const ids = db
    .prepare(
      `SELECT r.customer_id FROM campaign_responses r
       WHERE r.campaign_id = ? AND r.import_batch_id IN (SELECT value FROM json_each(?))
         AND NOT EXISTS (SELECT 1 FROM campaign_members m WHERE m.campaign_id = r.campaign_id AND m.customer_id = r.customer_id)
       ORDER BY r.customer_id`,
    )
    .pluck()
    .all(campaignId, JSON.stringify(batchIds)) as string[];
  return { count: ids.length, sample: ids.slice(0, 20) };
}
