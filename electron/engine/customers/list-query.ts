/**
 * A customer-list request (filter, search, sort, cursor) turned into the pieces the keyset walk runs:
 * the filter through the rule compiler (the only way user input reaches SQL), the search as planned by
 * search.ts, and the walks of the sort.
 */
import type { RuleNode } from '../../../shared/rules';
import { compileRule, RuleError } from '../../../shared/rule-compiler';
import type { SqlFragment, SqlParam } from '../../../shared/rule-fields';
import { EngineError } from '../errors';
import { referencedJoins, scanWalk, whereClause, type KeyRow, type RowConditions } from './keyset';
import type { ListContext } from './list-context';
import { planSearch, searchPredicate, type SearchPlan } from './search';
import { sortWalks, type ResolvedSort } from './sort-fields';

export interface ListFilter {
  filter?: RuleNode | undefined;
  search?: string | undefined;
}

export interface CompiledList {
  readonly filter: SqlFragment | null;
  readonly search: SearchPlan;
}

export function compileListFilter(ctx: ListContext, request: ListFilter): CompiledList {
  let filter: SqlFragment | null = null;
  if (request.filter) {
    try {
      const compiled = compileRule(request.filter, ctx.catalog);
      // An empty 全部满足 compiles to the constant 1: no filter at all, and no reason to walk in windows.
      if (compiled.sql !== '1') filter = compiled;
    } catch (error) {
      if (error instanceof RuleError) throw new EngineError('bad_input', `${error.message}。请修改筛选条件后重试`, JSON.stringify(error.issues));
      throw error;
    }
  }
  return { filter, search: planSearch(ctx.db, request.search) };
}

function rowConditions(ctx: ListContext, list: CompiledList): RowConditions {
  const search = searchPredicate(list.search);
  return {
    joins: ctx.catalog.joins,
    conditions: [...(list.filter ? [list.filter] : []), ...(list.search.kind === 'scan' && search ? [search] : [])],
    selective: list.search.kind === 'rows' && search ? search : null,
    windows: ctx.windows,
  };
}

export interface Cursor {
  value: string | number | null;
  id: string;
}

/**
 * Up to `need` keys after the cursor: the rest of the values walk, then the missing-values walk (a cursor
 * with a null value is already in it). The cursor's value is the engine's own (see resolveCursor).
 */
export function pageKeys(ctx: ListContext, list: CompiledList, sort: ResolvedSort, cursor: Cursor | null, need: number): KeyRow[] {
  if (list.search.kind === 'rows' && list.search.rowids.length === 0) return [];
  const rows = rowConditions(ctx, list);
  const walks = sortWalks(sort);
  const found: KeyRow[] = [];
  if (walks.values && (cursor === null || cursor.value !== null)) {
    const after: SqlParam[] | null = cursor ? [cursor.value, cursor.id] : null;
    found.push(...scanWalk(ctx.db, walks.values, rows, after, need));
    if (found.length >= need) return found;
    cursor = null;
  }
  const after = cursor ? [cursor.id] : null;
  found.push(...scanWalk(ctx.db, walks.nulls, rows, after, need - found.length));
  return found;
}

/** Rows matching filter and search. */
export function countMatches(ctx: ListContext, list: CompiledList): number {
  const search = searchPredicate(list.search, true);
  if (list.search.kind === 'rows' && list.search.rowids.length === 0) return 0;
  const where = [...(list.filter ? [list.filter] : []), ...(search ? [search] : [])];
  const joins = referencedJoins(ctx.catalog.joins, where.map((w) => w.sql).join(' '));
  const sql = `SELECT count(*) AS n FROM ${ctx.catalog.from}${joins.map((j) => ` ${j.sql}`).join('')}${whereClause(where)}`;
  const params = [...joins.flatMap((j) => j.params), ...where.flatMap((w) => w.params)];
  return (ctx.db.prepare(sql).get(...params) as { n: number }).n;
}
