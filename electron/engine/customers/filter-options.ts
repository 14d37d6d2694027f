/**
 * What the customer list's query form offers (issue #14): every community and manager with its head count,
 * for dropdowns instead of a free-text "包含", and the columns that carry no information in this workspace
 * because every customer has the same value (hidden until the analyst asks for them).
 */
import type { CustomerFilterOptions, FilterChoice } from '../../../shared/customer-list';
import type { Db } from '../db/workspace';

/** Customer columns checked for a single value, and the list columns each one feeds. */
const CONSTANT_CANDIDATES: readonly { column: string; listKeys: readonly string[] }[] = [
  { column: 'gender', listKeys: ['gender'] },
  { column: 'occupation', listKeys: ['occupation'] },
  { column: 'customer_type', listKeys: ['customer_type'] },
  { column: 'community_id', listKeys: ['community_id', 'community_name'] },
  { column: 'manager_id', listKeys: ['manager_id', 'manager_name'] },
  { column: 'risk_level', listKeys: ['risk_level'] },
  { column: 'open_date', listKeys: ['open_date'] },
];

export function customerFilterOptions(db: Db): CustomerFilterOptions {
  return db.transaction(() => ({
    communities: choices(db, 'community_id', 'communities'),
    managers: choices(db, 'manager_id', 'managers'),
    constantColumns: constantColumns(db),
  }))();
}

/**
 * Codes in use on customers (an index scan of customers_community / customers_manager) and those of the
 * reference table without customers, by name. A code without a reference row shows as itself.
 */
function choices(db: Db, column: 'community_id' | 'manager_id', table: 'communities' | 'managers'): FilterChoice[] {
  // Column and table names are the two fixed pairs above, never request text.
  const rows = db
    .prepare(
      `WITH used AS (SELECT ${column} AS id, count(*) AS n FROM customers WHERE ${column} IS NOT NULL AND ${column} <> '' GROUP BY ${column})
       SELECT r.${column} AS id, coalesce(r.name, r.${column}) AS name, coalesce(u.n, 0) AS customers
         FROM ${table} r LEFT JOIN used u ON u.id = r.${column}
       UNION ALL
       SELECT u.id, u.id, u.n FROM used u WHERE NOT EXISTS (SELECT 1 FROM ${table} r WHERE r.${column} = u.id)
       ORDER BY 1`,
    )
    .all() as FilterChoice[];
  return rows.map((r) => ({ id: String(r.id), name: String(r.name), customers: r.customers }));
}

/**
 * A column is constant when no customer differs from the first one (NULL and '' count as the same
 * "empty"). The scan stops at the first difference, so only a truly constant column reads the table.
 */
function constantColumns(db: Db): string[] {
  const any = db.prepare('SELECT 1 FROM customers LIMIT 1').get();
  if (!any) return [];
  const out: string[] = [];
  for (const { column, listKeys } of CONSTANT_CANDIDATES) {
    const differs = db
      .prepare(`SELECT EXISTS (SELECT 1 FROM customers WHERE coalesce(${column}, '') IS NOT (SELECT coalesce(${column}, '') FROM customers LIMIT 1)) AS d`)
      .get() as { d: number };
    if (differs.d === 0) out.push(...listKeys);
  }
  return out;
}
