/**
 * A small workspace for customer-screen tests: real SQLite through openWorkspace, rows inserted with SQL,
 * NULLs and ties planted in every sortable column so that paging crosses the null boundary and the
 * customer_id tie-break decides order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { refreshCustomerSummary } from '../../../electron/engine/customers/customer-summary';
import { openWorkspace, type Db } from '../../../electron/engine/db/workspace';

export interface TempWorkspace {
  db: Db;
  dir: string;
  path: string;
  close(): void;
}

export function tempWorkspace(prefix = 'bpw-test-'): TempWorkspace {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const path = join(dir, 'test.bpw');
  const db = openWorkspace(path, { create: true });
  return {
    db,
    dir,
    path,
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const SURNAMES = [...'王李张刘陈杨黄赵吴周'];
const GIVEN = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超'];

export interface FixtureCustomer {
  customer_id: string;
  name: string | null;
  gender: string | null;
  birth_date: string | null;
  id_number: string | null;
  mobile: string | null;
  occupation: string | null;
  customer_type: string | null;
  community_id: string | null;
  manager_id: string | null;
  open_date: string | null;
  risk_level: string | null;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function isoDate(base: string, days: number): string {
  const d = new Date(`${base}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function fixtureCustomer(i: number): FixtureCustomer {
  const birth = i % 11 === 0 ? null : isoDate('1950-01-01', (i * 379) % 18_000);
  return {
    customer_id: `C${pad(i, 5)}`,
    name: i % 13 === 0 ? null : `${SURNAMES[i % SURNAMES.length]}${GIVEN[(i * 7) % GIVEN.length]}${i % 3 === 0 ? GIVEN[(i * 11) % GIVEN.length] : ''}`,
    gender: i % 17 === 0 ? null : i % 2 === 0 ? 'M' : 'F',
    birth_date: birth,
    id_number: `110101${(birth ?? '1980-01-01').replaceAll('-', '')}${pad(i % 10_000, 4)}`,
    mobile: `138${pad(i, 8)}`,
    occupation: ['教师', '医生', '退休', '个体经营'][i % 4] ?? null,
    customer_type: i % 9 === 0 ? 'sme_owner' : 'individual',
    community_id: i % 23 === 0 ? null : `SQ00${(i % 5) + 1}`,
    manager_id: i % 29 === 0 ? null : `M00${(i % 4) + 1}`,
    // Few distinct dates: many ties for the customer_id tie-break.
    open_date: i % 7 === 0 ? null : isoDate('2015-01-01', (i * 13) % 300),
    risk_level: i % 19 === 0 ? null : `C${(i % 5) + 1}`,
  };
}

/** AUM per month for customer i (null: no balance row); ties on purpose. */
export function fixtureAum(i: number, monthIndex: number): number | null {
  if (i % 9 === 0) return null;
  return ((i % 40) + monthIndex) * 1_000;
}

export const FIXTURE_MONTHS = ['2024-04', '2024-05', '2024-06'];

/** Communities, managers, `count` customers and three months of balances, then the summary. */
export function seedCustomers(db: Db, count: number): FixtureCustomer[] {
  const customers: FixtureCustomer[] = [];
  db.transaction(() => {
    const community = db.prepare('INSERT INTO communities (community_id, name, grid_name, district, households, manager_id) VALUES (?, ?, ?, ?, ?, ?)');
    for (let k = 1; k <= 5; k++) community.run(`SQ00${k}`, `第${k}社区`, `第${k}网格`, '东门街道', 1000 * k, `M00${k}`);
    const manager = db.prepare('INSERT INTO managers (manager_id, name, team) VALUES (?, ?, ?)');
    for (let k = 1; k <= 4; k++) manager.run(`M00${k}`, `经理${k}`, '一组');
    const insert = db.prepare(
      `INSERT INTO customers (customer_id, name, gender, birth_date, id_number, mobile, occupation, customer_type, community_id, manager_id, open_date, risk_level)
       VALUES (@customer_id, @name, @gender, @birth_date, @id_number, @mobile, @occupation, @customer_type, @community_id, @manager_id, @open_date, @risk_level)`,
    );
    const balance = db.prepare('INSERT INTO balances (customer_id, month, aum, deposit, wealth, loan) VALUES (?, ?, ?, ?, ?, ?)');
    for (let i = 1; i <= count; i++) {
      const c = fixtureCustomer(i);
      insert.run(c);
      customers.push(c);
      FIXTURE_MONTHS.forEach((month, m) => {
        const aum = fixtureAum(i, m);
        if (aum !== null) balance.run(c.customer_id, month, aum, aum * 0.6, aum * 0.4, 0);
      });
    }
  })();
  refreshCustomerSummary(db);
  return customers;
}

export const VALUE_TIERS = ['mass', 'affluent', 'wealth', 'private'] as const;

/** Churn probability of customer i in the fixture score run: null, unscored (undefined) or a tied value. */
export function fixtureChurn(i: number): number | null | undefined {
  if (i % 31 === 0) return undefined;
  if (i % 10 === 0) return null;
  return (i % 20) / 20;
}

/** A succeeded analysis run with scores for most customers; returns its run id. */
export function seedScores(db: Db, count: number, asOf = '2024-06-30'): number {
  const now = new Date().toISOString();
  const runId = Number(
    db.prepare("INSERT INTO analysis_runs (kind, params_json, as_of, status, started_at, finished_at) VALUES ('customer-analysis', '{}', ?, 'succeeded', ?, ?)").run(asOf, now, now).lastInsertRowid,
  );
  const insert = db.prepare('INSERT INTO customer_scores (run_id, customer_id, rfm_class, value_tier, lifecycle_stage, churn_prob, churn_band) VALUES (?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let i = 1; i <= count; i++) {
      const churn = fixtureChurn(i);
      if (churn === undefined) continue;
      insert.run(runId, `C${pad(i, 5)}`, 'general_value', VALUE_TIERS[i % 4], i % 6 === 0 ? 'dormant' : 'mature', churn, churn !== null && churn >= 0.5 ? 'high' : 'low');
    }
  })();
  return runId;
}
