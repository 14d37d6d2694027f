/**
 * Recipes: multi-file deliveries imported in one go, through the same importer and mapping templates as a
 * single file. A recipe can load small key→value tables from some files (lookups) to link the others, the
 * way Berka's loans and cards reach their clients through accounts and dispositions.
 */
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ColumnMapping, ImportPolicy, ImportResult } from '../../../shared/api';
import type { EntityKey } from '../../../shared/dictionary';
import type { JobContext } from '../context';
import { EngineError } from '../errors';
import { refreshCustomerSummary } from '../customers/customer-summary';
import { deriveBerkaBalances } from './berka-balances';
import { importFile } from './importer';
import { openSource } from './source';
import { BUILT_IN_TEMPLATES } from './templates';

interface LookupDef {
  name: string;
  file: string;
  key: string;
  value: string;
  /** Keep only rows whose column equals the value, e.g. OWNER dispositions. */
  where?: { column: string; equals: string };
  /** Maps each value through an earlier lookup, chaining links (client → account → open date). */
  through?: string;
  /** Converts values as they load; Berka dates are YYMMDD. */
  valueFormat?: 'yymmdd';
}

interface RecipeStep {
  file: string;
  entity: EntityKey;
  template?: string;
  mapping?: ColumnMapping;
  policy: ImportPolicy;
  /** Skipped when the file is not in the folder. */
  optional?: boolean;
  /** A file the recipe writes from another one before importing it, e.g. balances from trans.asc. */
  derive?: { from: string; kind: 'berka-balances' };
}

export interface Recipe {
  name: string;
  label: string;
  /** Files that must be in the folder. */
  files: string[];
  /** Files imported when present. */
  optionalFiles?: string[];
  lookups: LookupDef[];
  /** Small reference files the recipe writes itself, e.g. the product list a dataset implies. */
  generated?: { file: string; content: string }[];
  steps: RecipeStep[];
}

const BERKA_PRODUCTS = [
  '产品代码,产品名称,产品类型,产品风险等级',
  'BERKA-LOAN,个人贷款,consumer_loan,R2',
  'BERKA-CARD-junior,青少年借记卡,demand_deposit,R1',
  'BERKA-CARD-classic,普通信用卡,credit_card,R2',
  'BERKA-CARD-gold,金卡信用卡,credit_card,R2',
  'BERKA-ORDER-SIPO,生活缴费代扣,demand_deposit,R1',
  'BERKA-ORDER-UVER,贷款还款代扣,consumer_loan,R1',
  'BERKA-ORDER-POJISTNE,保险缴费代扣,insurance,R2',
  'BERKA-ORDER-LEASING,租赁付款代扣,consumer_loan,R2',
  'BERKA-ORDER-OTHER,其他定期代扣,demand_deposit,R1',
].join('\n');

const template = (name: string): ColumnMapping => {
  const found = BUILT_IN_TEMPLATES.find((t) => t.name === name);
  if (!found) throw new Error(`built-in template ${name} missing`);
  return found.mapping;
};

export const RECIPES: readonly Recipe[] = [
  {
    name: 'berka',
    label: 'PKDD’99 捷克银行数据（Berka）',
    files: ['district.asc', 'client.asc', 'account.asc', 'disp.asc', 'loan.asc', 'card.asc', 'order.asc'],
    optionalFiles: ['trans.asc'],
    lookups: [
      { name: 'account_date', file: 'account.asc', key: 'account_id', value: 'date', valueFormat: 'yymmdd' },
      { name: 'account_owner', file: 'disp.asc', key: 'account_id', value: 'client_id', where: { column: 'type', equals: 'OWNER' } },
      { name: 'disp_client', file: 'disp.asc', key: 'disp_id', value: 'client_id' },
      { name: 'client_open_date', file: 'disp.asc', key: 'client_id', value: 'account_id', through: 'account_date' },
    ],
    generated: [{ file: 'berka-products.csv', content: BERKA_PRODUCTS }],
    steps: [
      { file: 'district.asc', entity: 'communities', template: 'berka-district', policy: 'reject' },
      {
        file: 'client.asc',
        entity: 'customers',
        policy: 'reject',
        mapping: {
          ...template('berka-client'),
          transforms: [
            ...(template('berka-client').transforms ?? []),
            { name: 'lookup', column: 'client_id', options: { field: 'open_date', lookup: 'client_open_date', label: '账户开户日期' } },
          ],
        },
      },
      { file: 'berka-products.csv', entity: 'products', policy: 'reject' },
      {
        file: 'loan.asc',
        entity: 'holdings',
        policy: 'reject',
        mapping: {
          columns: { amount: 'balance' },
          constants: { product_id: 'BERKA-LOAN' },
          transforms: [
            { name: 'lookup', column: 'account_id', options: { field: 'customer_id', lookup: 'account_owner', label: '账户户主' } },
            { name: 'yymmdd', column: 'date', options: { field: 'opened_at' } },
          ],
        },
      },
      {
        file: 'card.asc',
        entity: 'holdings',
        policy: 'reject',
        mapping: {
          columns: {},
          transforms: [
            { name: 'lookup', column: 'disp_id', options: { field: 'customer_id', lookup: 'disp_client', label: '账户授权关系' } },
            { name: 'template', column: 'type', options: { field: 'product_id', template: 'BERKA-CARD-{value}' } },
            { name: 'yymmdd', column: 'issued', options: { field: 'opened_at' } },
          ],
        },
      },
      {
        // One account may hold several standing orders of one kind; the holding is the same, so the
        // repeats are reported as duplicates and the first is kept.
        file: 'order.asc',
        entity: 'holdings',
        policy: 'skip-bad',
        mapping: {
          columns: { amount: 'balance' },
          transforms: [
            { name: 'lookup', column: 'account_id', options: { field: 'customer_id', lookup: 'account_owner', label: '账户户主' } },
            { name: 'lookup', column: 'account_id', options: { field: 'opened_at', lookup: 'account_date', label: '账户开户日期' } },
            {
              name: 'map_values',
              column: 'k_symbol',
              options: { field: 'product_id', strict: true, map: { SIPO: 'BERKA-ORDER-SIPO', UVER: 'BERKA-ORDER-UVER', POJISTNE: 'BERKA-ORDER-POJISTNE', LEASING: 'BERKA-ORDER-LEASING', '': 'BERKA-ORDER-OTHER' } },
            },
          ],
        },
      },
      {
        // The full PKDD'99 download: about a million transactions. A line cut short (a download broken off)
        // is reported by its row and the rest loads. Type and channel: see berkaTransaction (transforms.ts).
        file: 'trans.asc',
        entity: 'transactions',
        policy: 'skip-bad',
        optional: true,
        mapping: {
          columns: { trans_id: 'txn_id', amount: 'amount' },
          transforms: [
            { name: 'lookup', column: 'account_id', options: { field: 'customer_id', lookup: 'account_owner', label: '账户户主' } },
            { name: 'yymmdd', column: 'date', options: { field: 'txn_date' } },
            { name: 'map_values', column: 'type', options: { field: 'direction', strict: true, map: { PRIJEM: 'in', VYDAJ: 'out', VYBER: 'out' } } },
            { name: 'berka_transaction', column: 'operation', options: { kSymbolColumn: 'k_symbol', typeColumn: 'type' } },
          ],
        },
      },
      { file: 'berka-balances.csv', entity: 'balances', policy: 'reject', optional: true, derive: { from: 'trans.asc', kind: 'berka-balances' } },
    ],
  },
  {
    name: 'uci-bank',
    label: 'UCI 葡萄牙银行电话营销数据',
    files: ['bank-full.csv'],
    lookups: [],
    steps: [
      { file: 'bank-full.csv', entity: 'customers', template: 'uci-bank-customers', policy: 'reject' },
      { file: 'bank-full.csv', entity: 'campaign_responses', template: 'uci-bank-responses', policy: 'reject' },
    ],
  },
];

export function findRecipe(name: string): Recipe {
  const recipe = RECIPES.find((r) => r.name === name);
  if (!recipe) throw new EngineError('bad_input', `没有名为“${name}”的导入方案。可用：${RECIPES.map((r) => r.name).join('、')}`);
  return recipe;
}

export async function runRecipe(ctx: JobContext, recipeName: string, dir: string): Promise<ImportResult[]> {
  const recipe = findRecipe(recipeName);
  const missing = recipe.files.filter((f) => !existsSync(join(dir, f)));
  if (missing.length > 0) throw new EngineError('bad_input', `文件夹“${dir}”中缺少：${missing.join('、')}。请选择包含${recipe.label}全部文件的文件夹`);

  const lookups = new Map<string, Map<string, string>>();
  for (const def of recipe.lookups) lookups.set(def.name, await loadLookup(join(dir, def.file), def, lookups));

  const scratch = mkdtempSync(join(tmpdir(), 'bpw-recipe-'));
  try {
    for (const file of recipe.generated ?? []) writeFileSync(join(scratch, file.file), `${file.content}\n`);
    const results: ImportResult[] = [];
    for (const step of recipe.steps) {
      ctx.throwIfCancelled();
      const source = step.derive?.from ?? step.file;
      if (step.optional && !existsSync(join(dir, source))) continue;
      const generated = recipe.generated?.some((g) => g.file === step.file) || step.derive !== undefined;
      const file = join(generated ? scratch : dir, step.file);
      if (step.derive) {
        const rows = await deriveBerkaBalances(ctx, join(dir, step.derive.from), lookups.get('account_owner') ?? new Map(), file);
        if (rows === 0) continue;
      }
      const mapping = step.mapping ?? (step.template ? template(step.template) : undefined);
      const result = await importFile(ctx, { file, entity: step.entity, mapping, policy: step.policy }, { lookups, phase: `导入 ${step.file}`, refreshSummary: false });
      results.push(result);
      if (result.status === 'rejected') break;
    }
    ctx.progress('更新客户列表', 0, 1);
    refreshCustomerSummary(ctx.db());
    return results;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function loadLookup(path: string, def: LookupDef, earlier: ReadonlyMap<string, Map<string, string>>): Promise<Map<string, string>> {
  const source = await openSource({ file: path });
  const keyIndex = source.headers.indexOf(def.key);
  const valueIndex = source.headers.indexOf(def.value);
  const whereIndex = def.where ? source.headers.indexOf(def.where.column) : -1;
  if (keyIndex < 0 || valueIndex < 0 || (def.where && whereIndex < 0)) {
    throw new EngineError('bad_input', `文件“${source.fileName}”缺少列 ${[def.key, def.value, def.where?.column].filter(Boolean).join('、')}`);
  }
  const through = def.through ? earlier.get(def.through) : undefined;
  const table = new Map<string, string>();
  for await (const batch of source.batches()) {
    for (const row of batch.rows) {
      if (def.where && row[whereIndex]?.trim() !== def.where.equals) continue;
      const key = (row[keyIndex] ?? '').trim();
      let value: string | undefined = (row[valueIndex] ?? '').trim();
      if (through && value !== undefined) value = through.get(value);
      if (value === undefined || key === '') continue;
      if (def.valueFormat === 'yymmdd' && /^\d{6}/.test(value)) value = `19${value.slice(0, 2)}-${value.slice(2, 4)}-${value.slice(4, 6)}`;
      if (!table.has(key)) table.set(key, value);
    }
  }
  return table;
}
