import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ENTITIES, type EntityKey, PRODUCT_CATEGORY_LABELS } from '../../../shared/dictionary';
import { balanceLines, campaignLines, communityEvents, customerLine, holdingLines, interactionLines, TransactionIds, transactionLines } from './activity';
import { Calendar, firstDayOfMonth, formatDay, parseMonthLabel } from './calendar';
import { generateProfile } from './customers';
import { DefectPlanter, type PlantedDefect } from './defects';
import { COLUMNS, FORMATS, SHEET_NAMES, fileName } from './headers';
import { buildPlan, campaignsFor } from './plan';
import { COMMUNITIES, MANAGERS, PRODUCTS } from './reference-data';
import { CsvWriter, type SheetCell, writeXlsx } from './writers';

export type { DefectKind, PlantedDefect } from './defects';

/**
 * The demo branch (示范支行): writes the files a Chinese bank's systems would export for one branch, for
 * the importer to load. Nothing here touches a workspace.
 */
export interface DemoOptions {
  dir: string;
  customers: number;
  seed: number;
  txPerYear: number;
  /** Months of balances and activity, ending at endMonth. Default 24. */
  months: number;
  /** The last complete month, 'YYYY-MM'. Fixed rather than today's date so the output is deterministic. */
  endMonth?: string;
  dirty: boolean;
  encoding: 'utf-8' | 'gb18030';
}

export interface DemoFile {
  entity: EntityKey;
  path: string;
  format: 'csv' | 'xlsx';
  /** Data rows, the header excluded (planted duplicates included). */
  rows: number;
}

export interface DemoHooks {
  onProgress?(phase: string, done: number, total: number): void;
  throwIfCancelled?(): void;
}

export const DEFAULT_END_MONTH = '2026-10';

/**
 * The demo's as-of date, 'YYYY-MM-DD': the last day of endMonth. Pass it (or a later day) as the
 * importer's `today`: the importer rejects dates after today, and the demo's window is fixed, not
 * relative to the clock of the machine it runs on.
 */
export function demoAsOfDate(endMonth: string = DEFAULT_END_MONTH): string {
  return formatDay(firstDayOfMonth(parseMonthLabel(endMonth) + 1) - 1);
}

export const DEMO_DEFAULTS = { customers: 20_000, seed: 20240601, txPerYear: 60, months: 24, dirty: false, encoding: 'utf-8' } as const;

const PROGRESS_EVERY = 1000;
const CANCEL_CHECK_EVERY = 2000;

type BigEntity = 'customers' | 'holdings' | 'balances' | 'transactions' | 'interactions' | 'campaign_responses';
const BIG: readonly BigEntity[] = ['customers', 'holdings', 'balances', 'transactions', 'interactions', 'campaign_responses'];

function validate(options: DemoOptions): void {
  const { customers, txPerYear, months, seed } = options;
  if (!Number.isInteger(customers) || customers < 1 || customers > 10_000_000) throw new Error(`customers 应为 1 至 10,000,000 的整数，收到 ${customers}`);
  if (!Number.isFinite(txPerYear) || txPerYear <= 0 || txPerYear > 1000) throw new Error(`txPerYear 应为正数，收到 ${txPerYear}`);
  if (!Number.isInteger(months) || months < 1 || months > 240) throw new Error(`months 应为 1 至 240 的整数，收到 ${months}`);
  if (!Number.isInteger(seed)) throw new Error(`seed 应为整数，收到 ${seed}`);
}

export async function generateDemoFiles(options: DemoOptions, hooks: DemoHooks = {}): Promise<{ files: DemoFile[]; defects: PlantedDefect[] }> {
  validate(options);
  const { dir, customers, seed, txPerYear, encoding } = options;
  const calendar = new Calendar(options.endMonth ?? DEFAULT_END_MONTH, options.months);
  mkdirSync(dir, { recursive: true });
  const progress = hooks.onProgress ?? (() => {});
  const pathOf = (entity: EntityKey) => join(dir, fileName(entity));
  const headers = (entity: EntityKey) => COLUMNS[entity].map((c) => c.header);
  const rows = new Map<EntityKey, number>();
  const written: string[] = [];
  const writers = new Map<BigEntity, CsvWriter>();

  try {
    // Reference tables: small spreadsheets kept by branch staff, dated the day after the window.
    progress('生成参考数据', 0, 3);
    const exportDay = calendar.endDay + 1;
    const referenceRows: Record<'communities' | 'managers' | 'products', SheetCell[][]> = {
      communities: COMMUNITIES.map((c) => [c.id, c.name, c.gridId, c.gridName, c.district, c.households, c.population, `${(c.share60 * 100).toFixed(1)}%`, c.housePrice, c.managerId, c.longitude, c.latitude, c.gridManagerId]),
      managers: MANAGERS.map((m) => [m.id, m.name, m.team]),
      products: PRODUCTS.map((p) => [p.id, p.name, PRODUCT_CATEGORY_LABELS[p.category], `R${p.risk}`, p.minAmountText, p.termMonths, p.minAge, p.maxAge, p.active ? '是' : '否']),
    };
    let done = 0;
    for (const entity of ['communities', 'managers', 'products'] as const) {
      written.push(pathOf(entity));
      await writeXlsx(pathOf(entity), SHEET_NAMES[entity] ?? entity, headers(entity), referenceRows[entity], exportDay);
      rows.set(entity, referenceRows[entity].length);
      progress('生成参考数据', ++done, 3);
      hooks.throwIfCancelled?.();
    }

    for (const entity of BIG) {
      written.push(pathOf(entity));
      writers.set(entity, new CsvWriter(pathOf(entity), encoding, headers(entity)));
    }
    const writer = (entity: BigEntity) => writers.get(entity) as CsvWriter;
    const planter = options.dirty
      ? new DefectPlanter(seed, customers, { customers: fileName('customers'), transactions: fileName('transactions'), balances: fileName('balances') })
      : null;
    const campaigns = campaignsFor(calendar);
    const events = communityEvents(seed, calendar);
    const ids = new TransactionIds();
    const lines: string[] = [];
    const recentlyOpened = calendar.endDay - 183;

    progress('生成客户与交易流水', 0, customers);
    for (let i = 0; i < customers; i++) {
      const profile = generateProfile(seed, i, calendar);
      const plan = buildPlan(seed, profile, calendar, campaigns);
      const context = { newCustomer: profile.openDay >= recentlyOpened };
      const emit = (entity: BigEntity) => {
        const w = writer(entity);
        if (planter && (entity === 'customers' || entity === 'transactions' || entity === 'balances')) planter.salt(entity, i, lines, w.rows + 2, context);
        w.writeLines(lines);
        lines.length = 0;
      };
      lines.push(customerLine(profile));
      emit('customers');
      holdingLines(profile, plan, lines);
      emit('holdings');
      balanceLines(profile, plan, calendar, lines);
      emit('balances');
      transactionLines(seed, profile, plan, calendar, txPerYear, ids, lines);
      emit('transactions');
      interactionLines(seed, profile, plan, calendar, events[profile.community] ?? [], lines);
      emit('interactions');
      campaignLines(profile, plan, calendar, lines);
      emit('campaign_responses');

      if ((i + 1) % PROGRESS_EVERY === 0) progress('生成客户与交易流水', i + 1, customers);
      if ((i + 1) % CANCEL_CHECK_EVERY === 0) hooks.throwIfCancelled?.();
    }
    progress('生成客户与交易流水', customers, customers);

    progress('写入文件', 0, BIG.length);
    done = 0;
    for (const entity of BIG) {
      const w = writer(entity);
      w.close();
      rows.set(entity, w.rows);
      progress('写入文件', ++done, BIG.length);
    }

    const files: DemoFile[] = ENTITIES.map((e) => ({ entity: e.key, path: pathOf(e.key), format: FORMATS[e.key], rows: rows.get(e.key) ?? 0 }));
    return { files, defects: planter ? planter.defects : [] };
  } catch (error) {
    // A cancelled or failed run leaves no half-written demo behind.
    for (const w of writers.values()) w.abandon();
    for (const path of written) rmSync(path, { force: true });
    throw error;
  }
}
