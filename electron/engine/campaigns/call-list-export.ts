/**
 * campaigns.export: the call lists, as one workbook (a summary sheet, then one sheet per manager) or as one
 * CSV per manager (UTF-8 with BOM). Built on the export module's pieces: every file is written to a
 * temporary name and renamed into place only when complete, every text cell is neutralised against formula
 * injection, and every file gets an audit row with its SHA-256, rows and purpose. Masked unless the request
 * states a purpose, which the audit row records. Held-out customers are never exported: they must not be
 * contacted.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { CAMPAIGN_RANKING_LABELS, type CampaignExportFile, type CampaignExportResult } from '../../../shared/campaigns';
import { formatShare } from '../../../shared/glossary';
import type { ParsedRequestOf } from '../../../shared/api';
import { appendAudit } from '../audit';
import type { JobContext } from '../context';
import { localToday } from '../customers/today';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { commitTarget, discardTemp, prepareTarget, type AtomicTarget } from '../export/atomic-file';
import { openCsvWriter } from '../export/csv-writer';
import { sheetColumns, sheetName, xlsxCell } from '../export/xlsx-writer';
import { sha256File } from '../util/hash';
import { callListColumns, callListRows, campaignLines, FOLLOW_UP_VALUES, listSheets, type ListSheet } from './call-list';
import { POOL_NAME } from './plan';
import { markExported, requireCampaign, type CampaignRow } from './store';

type ExportRequest = ParsedRequestOf<'campaigns.export'>;

export async function exportCallLists(ctx: JobContext, request: ExportRequest): Promise<CampaignExportResult> {
  const db = ctx.db();
  const campaign = requireCampaign(db, request.campaignId);
  if (campaign.status === 'history') throw new EngineError('bad_input', `“${campaign.name}”是由回执识别出的历史活动，没有名单可导出`);
  const sheets = listSheets(db, campaign.campaignId, POOL_NAME);
  if (sheets.length === 0) throw new EngineError('bad_input', `营销活动“${campaign.name}”的名单为空，没有可导出的客户。请调整受众或排除条件后重新生成名单`);
  const masked = !request.unmask;
  const purpose = request.unmask ? request.purpose!.trim() : null;
  const product = campaign.productId ? ((db.prepare('SELECT name FROM products WHERE product_id = ?').get(campaign.productId) as { name: string } | undefined)?.name ?? campaign.productId) : null;
  const job: ExportJob = { ctx, db, campaign, sheets, masked, purpose, product, total: sheets.reduce((s, m) => s + m.rows, 0) };
  const files = request.format === 'csv' ? await writeCsvFiles(job, csvFolder(request.path)) : [await writeWorkbook(job, workbookPath(request.path, campaign))];
  markExported(db, campaign.campaignId);
  return {
    file: request.format === 'csv' ? csvFolder(request.path) : files[0]!.path,
    files,
    sha256: files[0]!.sha256,
    rows: job.total,
    sheets: sheetNames(sheets),
    masked,
  };
}

interface ExportJob {
  ctx: JobContext;
  db: Db;
  campaign: CampaignRow;
  sheets: ListSheet[];
  masked: boolean;
  purpose: string | null;
  product: string | null;
  total: number;
}

/** “活动名称-2026-12-06.xlsx”: the campaign and the day, without characters file systems refuse. */
export function exportFileName(campaign: Pick<CampaignRow, 'name'>, extension: 'xlsx' | 'csv', manager?: string): string {
  const safe = (text: string) => text.replace(/[\\/:*?"<>|\s]+/g, '_').slice(0, 60);
  return `${safe(campaign.name)}-${localToday()}${manager ? `-${safe(manager)}` : ''}.${extension}`;
}

/** A folder takes the default name; a file path is used as given. */
function workbookPath(path: string, campaign: CampaignRow): string {
  return existsSync(path) && statSync(path).isDirectory() ? join(path, exportFileName(campaign, 'xlsx')) : path;
}

function csvFolder(path: string): string {
  if (existsSync(path) && statSync(path).isDirectory()) return path;
  if (extname(path) !== '') return dirname(path);
  throw new EngineError('bad_input', `找不到文件夹“${basename(path)}”，请选择一个已有的文件夹保存 CSV 名单`);
}

/** Sheet names: the manager's name, made unique with the code when two managers share a name. */
function sheetNames(sheets: readonly ListSheet[]): string[] {
  const count = new Map<string, number>();
  for (const s of sheets) count.set(s.managerName, (count.get(s.managerName) ?? 0) + 1);
  return sheets.map((s) => sheetName(count.get(s.managerName)! > 1 && s.managerId ? `${s.managerName}（${s.managerId}）` : s.managerName));
}

async function writeWorkbook(job: ExportJob, path: string): Promise<CampaignExportFile> {
  const target = prepareTarget(path, 'xlsx');
  const phase = `导出营销名单“${job.campaign.name}”`;
  let rows = 0;
  return writeAtomically(job, target, async () => {
    // Without styles: exceljs works out a style per cell, which doubles the time of a 50,000-row list, and a
    // call list needs none (amounts are already rounded to 2 decimals in 万元; the header row stays frozen).
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: target.temp, useStyles: false, useSharedStrings: false });
    workbook.creator = '支行客户画像工作台';
    try {
      writeSummary(workbook, job);
      const names = sheetNames(job.sheets);
      const columns = callListColumns(job.campaign.params?.arms != null);
      const outcomeColumn = columns.findIndex((c) => c.label === '跟进结果') + 1;
      for (const [i, manager] of job.sheets.entries()) {
        job.ctx.throwIfCancelled();
        const sheet = workbook.addWorksheet(names[i]!, { views: [{ state: 'frozen', ySplit: 1 }] });
        sheet.columns = sheetColumns(columns, false);
        sheet.addRow(columns.map((c) => c.label)).commit();
        const cells = callListRows(job.db, job.campaign, manager.managerId, job.masked, job.product);
        for (const row of cells) sheet.addRow(row.map(xlsxCell)).commit();
        if (cells.length > 0) {
          const letter = sheet.getColumn(outcomeColumn).letter;
          // The streaming writer keeps data validations, though exceljs's typings declare them on Worksheet only.
          (sheet as unknown as { dataValidations: { add(range: string, rule: ExcelJS.DataValidation): void } }).dataValidations.add(`${letter}2:${letter}${cells.length + 1}`, {
            type: 'list',
            allowBlank: true,
            formulae: [`"${FOLLOW_UP_VALUES.join(',')}"`],
            showErrorMessage: true,
            errorTitle: '跟进结果',
            error: `请填写 ${FOLLOW_UP_VALUES.join(' / ')}，未联系的客户留空`,
          });
        }
        sheet.commit();
        rows += cells.length;
        job.ctx.progress(phase, rows, job.total);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await workbook.commit();
    } catch (error) {
      await workbook.commit().catch(() => undefined);
      throw error;
    }
    return { rows, sheet: null };
  });
}

function writeSummary(workbook: ExcelJS.stream.xlsx.WorkbookWriter, job: ExportJob): void {
  const { campaign } = job;
  const sheet = workbook.addWorksheet('汇总');
  sheet.columns = [{ key: 'a', width: 26 }, { key: 'b', width: 16 }, { key: 'c', width: 16 }, { key: 'd', width: 16 }];
  const line = (cells: (string | number | null)[]) => sheet.addRow(cells.map(xlsxCell)).commit();
  const params = campaign.params;
  for (const [label, value] of campaignLines(campaign, job.product)) line([label, value]);
  if (params) {
    line(['排名方式', CAMPAIGN_RANKING_LABELS[params.ranking]]);
    line(['每位客户经理名单上限', params.perManagerCap]);
    line(['对照组比例', formatShare(params.controlShare)]);
  }
  line(['个人信息', job.masked ? '已脱敏' : `未脱敏（用途：${job.purpose}）`]);
  line(['导出时间', new Date().toLocaleString('zh-CN', { hour12: false })]);
  line([]);
  const plan = campaign.plan;
  if (plan) {
    line(['名单筛选', '人数']);
    line(['受众', plan.waterfall.audience]);
    for (const step of plan.waterfall.steps) line([step.label, -step.excluded]);
    line(['可营销客户', plan.waterfall.eligible]);
    line(['对照组（不联系）', plan.waterfall.control]);
    line(['超出客户经理名额', plan.waterfall.overCap]);
    line(['名单客户', plan.waterfall.target]);
    line([]);
  }
  line(['客户经理', '名单客户', '对照组（不联系）', '超出名额']);
  const allocation = new Map((plan?.managers ?? []).map((m) => [m.managerId, m]));
  for (const s of job.sheets) {
    const m = allocation.get(s.managerId);
    line([s.managerName, s.rows, m?.control ?? null, m?.overCap ?? null]);
  }
  line([]);
  line(['填写说明', `请在各客户经理工作表的“跟进结果”列填写 ${FOLLOW_UP_VALUES.join(' / ')}，未联系的客户留空；可同时填写跟进日期和成交金额(万元)。填好后在“营销活动 → 导入回执”中导入本文件。`]);
  sheet.commit();
}

async function writeCsvFiles(job: ExportJob, folder: string): Promise<CampaignExportFile[]> {
  const columns = callListColumns(job.campaign.params?.arms != null);
  const names = sheetNames(job.sheets);
  const files: CampaignExportFile[] = [];
  let done = 0;
  for (const [i, manager] of job.sheets.entries()) {
    job.ctx.throwIfCancelled();
    const target = prepareTarget(join(folder, exportFileName(job.campaign, 'csv', names[i])), 'csv');
    files.push(
      await writeAtomically(job, target, async () => {
        const writer = await openCsvWriter(target.temp, columns);
        try {
          const cells = callListRows(job.db, job.campaign, manager.managerId, job.masked, job.product);
          await writer.write(cells);
          await writer.finish([]);
          return { rows: cells.length, sheet: names[i]! };
        } catch (error) {
          await writer.abort();
          throw error;
        }
      }),
    );
    done += manager.rows;
    job.ctx.progress(`导出营销名单“${job.campaign.name}”`, done, job.total);
  }
  return files;
}

/** Writes through `write` to the temporary file, renames it into place, hashes it and audits it. */
async function writeAtomically(job: ExportJob, target: AtomicTarget, write: () => Promise<{ rows: number; sheet: string | null }>): Promise<CampaignExportFile> {
  let committed = false;
  try {
    const { rows, sheet } = await write();
    const sha256 = await sha256File(target.temp);
    job.ctx.throwIfCancelled();
    commitTarget(target);
    committed = true;
    try {
      appendAudit(job.db, {
        action: 'campaign.export',
        params: { campaignId: job.campaign.campaignId, name: job.campaign.name, file: target.path, format: extname(target.path).slice(1), sheet, masked: job.masked, replaced: target.replaces },
        rowCount: rows,
        outputSha256: sha256,
        reason: job.purpose,
      });
    } catch (error) {
      rmSync(target.path, { force: true });
      throw error;
    }
    return { path: target.path, sha256, rows, sheet };
  } finally {
    if (!committed) discardTemp(target);
  }
}
