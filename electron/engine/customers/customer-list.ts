/**
 * The customer list (DESIGN.md §5): keyset pages over a million customers with filter, search and sort,
 * its count, its rows for export, and unmasking one customer with a stated reason.
 *
 * Paging is by key, never by OFFSET: a cursor is the last row's sort value and customer id, the order is
 * (sort value, customer_id) in the requested direction, and customers without a sort value come last in
 * both directions. The next page is therefore the same query from a new key, as fast deep in the list as
 * at its top. See keyset.ts for how a filtered page is found without sorting the table.
 */
import type { CustomerPage, CustomerRow, ParsedRequestOf } from '../../../shared/api';
import { appendAudit } from '../audit';
import type { Db } from '../db/workspace';
import { EngineError } from '../errors';
import { fetchListRows } from './list-columns';
import { listContext, type ListContext, type ListOptions } from './list-context';
import { compileListFilter, countMatches, pageKeys, type Cursor, type ListFilter } from './list-query';
import { resolveSort, type ResolvedSort } from './sort-fields';

export type CustomerPageRequest = Omit<ParsedRequestOf<'customers.page'>, 'limit'> & { limit?: number | undefined };

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 1_000;

export function customerPage(db: Db, request: CustomerPageRequest, options: ListOptions = {}): CustomerPage {
  // One read transaction: the keys and the rows come from the same snapshot even if an import commits
  // in between (WAL readers never block the writer).
  return db.transaction(() => readPage(db, request, options))();
}

function readPage(db: Db, request: CustomerPageRequest, options: ListOptions): CustomerPage {
  const ctx = listContext(db, options);
  const sort = resolveSort(request.sort, ctx.runs);
  const list = compileListFilter(ctx, request);
  const limit = Math.min(Math.max(Math.trunc(request.limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);
  const cursor = request.after ? resolveCursor(ctx, sort, request.after) : null;
  // One row more than asked tells whether a next page exists, so `next` is null exactly at the end.
  const keys = pageKeys(ctx, list, sort, cursor, limit + 1);
  const page = keys.slice(0, limit);
  const last = page[page.length - 1];
  return {
    rows: fetchListRows(ctx, page.map((k) => k.id)),
    next: keys.length > limit && last ? { value: sort.field.hiddenValue ? null : sortValueOut(sort, last.value, last.id), id: last.id } : null,
  };
}

export function customerCount(db: Db, request: ListFilter, options: ListOptions = {}): number {
  return db.transaction(() => {
    const ctx = listContext(db, options);
    return countMatches(ctx, compileListFilter(ctx, request));
  })();
}

/**
 * Every row matching filter and search, in customer-number order, a chunk at a time: for exports, which
 * must not hold a million rows in memory nor a read transaction open while a file is written.
 */
export function* customerRowChunks(db: Db, request: ListFilter, chunk = 2_000, options: ListOptions = {}): Generator<CustomerRow[], void, void> {
  const ctx = listContext(db, options);
  const sort = resolveSort(undefined, ctx.runs);
  const list = compileListFilter(ctx, request);
  let cursor: Cursor | null = null;
  for (;;) {
    const keys = pageKeys(ctx, list, sort, cursor, chunk);
    if (keys.length === 0) return;
    yield fetchListRows(ctx, keys.map((k) => k.id));
    if (keys.length < chunk) return;
    const last = keys[keys.length - 1]!;
    cursor = { value: last.id, id: last.id };
  }
}

/** The list context an export describes its filter with. */
export function customerListContext(db: Db, options: ListOptions = {}): ListContext {
  return listContext(db, options);
}

const PII_COLUMNS = ['name', 'mobile', 'id_number'] as const;

/** Raw name, mobile and ID number of one customer; the reason and the customer go to the audit log. */
export function unmaskCustomer(db: Db, customerId: string, reason: string): Record<string, string | null> {
  const why = reason.trim();
  if ([...why].length < 4) throw new EngineError('bad_input', '请填写查看原因（至少 4 个字）');
  const row = db.prepare(`SELECT ${PII_COLUMNS.join(', ')} FROM customers WHERE customer_id = ?`).get(customerId) as Record<string, string | null> | undefined;
  if (!row) throw new EngineError('not_found', `找不到客户“${customerId}”，请刷新列表后重试`);
  appendAudit(db, { action: 'unmask', params: { customerId }, reason: why, rowCount: 1 });
  return Object.fromEntries(PII_COLUMNS.map((c) => [c, row[c] ?? null]));
}

/** The cursor as the walk needs it: the sort value checked against the column type, or read from the row. */
function resolveCursor(ctx: ListContext, sort: ResolvedSort, after: Cursor): Cursor {
  const { field } = sort;
  if (field.key === 'customer_id') return { value: after.id, id: after.id };
  if (field.hiddenValue) {
    const row = ctx.db.prepare(`SELECT ${field.column} AS v FROM customers WHERE customer_id = ?`).get(after.id) as { v: string | number | null } | undefined;
    if (!row) throw new EngineError('bad_input', '翻页位置对应的客户已不存在（数据可能刚刚更新），请回到列表开头重新浏览');
    return { value: row.v, id: after.id };
  }
  const value = after.value;
  const typeOk = value === null || (field.valueType === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeof value === 'string');
  if (!typeOk) throw new EngineError('bad_input', `翻页位置与排序列“${field.label}”不符，请回到列表开头重新浏览`);
  return { value, id: after.id };
}

function sortValueOut(sort: ResolvedSort, value: string | number | null, id: string): string | number | null {
  return sort.field.key === 'customer_id' ? id : value;
}
