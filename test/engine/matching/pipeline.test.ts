/**
 * Product matching end to end on a generated branch of 3,000 customers (issue #9 "done when"): the held-out
 * ranking beats the popularity baseline without a planted perfect feature; every stored recommendation
 * passes the rules (judged again here, and by the SQL audit); the audit does catch breaches when there are
 * some; reasons are plain sentences; the product list pages, filters and exports; a customer's matches say
 * why a product is out and whether he may be contacted.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Db } from '../../../electron/engine/db/workspace';
import { EngineHost } from '../../../electron/engine/host';
import { auditRecommendations } from '../../../electron/engine/matching/audit';
import { eligibilityRules, judgeEligibility, loadEligibilityCustomers, loadProducts } from '../../../electron/engine/matching/eligibility';
import { MATCH_FEATURE_KEYS } from '../../../electron/engine/matching/match-features';
import { readSettings } from '../../../electron/engine/settings-store';
import { tempDir } from '../../support/temp';
import { matchedDemo, type MatchedDemo } from './support/matched-demo';

const dir = tempDir('bpw-matching-');
let demo: MatchedDemo;
let db: Db;
let host: EngineHost;

beforeAll(async () => {
  demo = await matchedDemo(dir, 3_000);
  db = openWorkspace(demo.path);
  host = new EngineHost({ log: () => {} });
  await host.call('workspace.open', { path: demo.path });
});

afterAll(async () => {
  db?.close();
  await host?.close();
});

describe('training', () => {
  it('ranks the held-out window better than the popularity baseline', () => {
    const v = demo.training.validation!;
    expect(v).not.toBeNull();
    expect(v.featuresAsOf).toBe('2026-07-31');
    expect(v.labelTo).toBe('2026-10-31');
    expect(v.customers).toBeGreaterThan(200);
    expect(v.mapAt5).toBeGreaterThan(v.baselineMapAt5);
  });

  it('learns honest, imperfect signals: forests for the common families, no feature that gives the answer away', () => {
    const modelled = demo.training.families.filter((f) => f.modelId !== null);
    expect(modelled.map((f) => f.category)).toEqual(expect.arrayContaining(['credit_card', 'mobile_banking', 'pension']));
    for (const family of modelled) {
      expect(family.positives).toBeGreaterThanOrEqual(50);
      expect(family.featureImportance[0]!.importance, family.label).toBeLessThan(0.5);
      if (family.validation?.rocAuc) {
        expect(family.validation.rocAuc, family.label).toBeGreaterThan(0.6);
        expect(family.validation.rocAuc, family.label).toBeLessThan(0.99);
      }
    }
    // Features never include latest-value fields.
    expect(MATCH_FEATURE_KEYS).not.toContain('months_since_risk_assessment');
  });

  it('says in Chinese why a family has no forest, and never models the families left out', () => {
    const fallback = demo.training.families.filter((f) => f.modelId === null);
    expect(fallback.length).toBeGreaterThan(0);
    for (const family of fallback) expect(family.fallback).toMatch(/新开.*不单独建模，按持有其他产品的关联程度（提升度）推荐/);
    expect(demo.training.families.some((f) => f.category === 'mortgage')).toBe(false);
    const stored = db.prepare("SELECT count(*) AS n FROM models WHERE kind = 'matching_forest' AND run_id = ?").get(demo.training.runId) as { n: number };
    expect(stored.n).toBe(demo.training.modelIds.length);
  });
});

describe('scoring', () => {
  it('stores at most five ranked recommendations per customer, none unsuitable', () => {
    expect(demo.scoring.unsuitable).toBe(0);
    expect(demo.scoring.audit.checked).toBe(demo.scoring.recommendations);
    const perCustomer = db.prepare('SELECT customer_id, count(*) AS n, min(rank) AS lo, max(rank) AS hi FROM recommendations WHERE run_id = ? GROUP BY customer_id').all(demo.scoring.runId) as {
      n: number;
      lo: number;
      hi: number;
    }[];
    expect(perCustomer.length).toBeGreaterThan(2_000);
    for (const c of perCustomer) expect([c.n <= 5, c.lo, c.hi]).toEqual([true, 1, c.n]);
  });

  it('passes every rule when each stored recommendation is judged again, and leaves out churned customers and mortgages', () => {
    const settings = readSettings(db);
    const rules = eligibilityRules(settings, demo.scoring.asOf);
    const facts = loadEligibilityCustomers(db, demo.scoring.asOf);
    const products = new Map(loadProducts(db).map((p) => [p.productId, p]));
    const rows = db.prepare('SELECT customer_id, product_id, flags_json FROM recommendations WHERE run_id = ?').all(demo.scoring.runId) as { customer_id: string; product_id: string; flags_json: string }[];
    for (const row of rows) {
      const verdict = judgeEligibility(facts.get(row.customer_id)!, products.get(row.product_id)!, rules);
      expect(verdict.eligible, `${row.customer_id} ${row.product_id}`).toBe(true);
      expect(JSON.parse(row.flags_json)).toEqual(verdict.flags);
    }
    const churned = db
      .prepare(
        `SELECT count(*) AS n FROM recommendations r JOIN customer_scores s ON s.customer_id = r.customer_id
         AND s.run_id = (SELECT max(run_id) FROM customer_scores) WHERE r.run_id = ? AND s.lifecycle_stage = 'churned'`,
      )
      .get(demo.scoring.runId) as { n: number };
    expect(churned.n).toBe(0);
    expect(rows.some((r) => products.get(r.product_id)!.category === 'mortgage')).toBe(false);
  });

  it('gives one to three reasons a manager can say aloud, never a feature name', () => {
    const rows = db.prepare('SELECT reasons_json FROM recommendations WHERE run_id = ?').all(demo.scoring.runId) as { reasons_json: string }[];
    const seen = new Set<string>();
    for (const row of rows) {
      const reasons = JSON.parse(row.reasons_json) as string[];
      expect(reasons.length).toBeLessThanOrEqual(3);
      for (const reason of reasons) {
        expect(reason).not.toMatch(/[a-z]+_[a-z_]+|σ|NaN|undefined/);
        expect(reason).toMatch(/[\u4e00-\u9fff]/);
        seen.add(reason.replace(/[\d.,]+/g, 'N'));
      }
    }
    expect(rows.every((r) => (JSON.parse(r.reasons_json) as string[]).length > 0)).toBe(true);
    const kinds = [...seen].join('\n');
    expect(kinds).toContain('代发工资客户，适合工资理财');
    expect(kinds).toMatch(/持有.+的客户中 N% 也持有.+，是全行的 N 倍/);
    expect(kinds).toMatch(/岁.+客户中 N% 持有/);
  });
});

describe('the suitability audit', () => {
  it('counts every planted breach, rule by rule', () => {
    const copy = join(dir, 'planted.bpw');
    copyFileSync(demo.path, copy);
    const planted = openWorkspace(copy);
    try {
      const runId = demo.scoring.runId;
      const insert = planted.prepare("INSERT INTO recommendations (run_id, customer_id, product_id, rank, score, suitability, reasons_json) VALUES (?, ?, ?, 9, 0, 'eligible', '[]')");
      const pick = (sql: string) => (planted.prepare(sql).get() as { id: string } | undefined)?.id;
      const asOf = demo.scoring.asOf;
      const conservative = pick(`SELECT customer_id AS id FROM customers WHERE risk_level = 'C1' AND risk_assessed_at >= '2026-01-01' AND birth_date > '1975-01-01' AND customer_id NOT IN (SELECT customer_id FROM recommendations WHERE run_id = ${runId} AND product_id = 'JJ003')`)!;
      const expired = pick(`SELECT customer_id AS id FROM customers WHERE risk_level = 'C5' AND risk_assessed_at < '2025-06-01' AND birth_date < '1990-01-01'`)!;
      const holder = planted.prepare(`SELECT customer_id AS id, product_id AS p FROM holdings WHERE product_id = 'SJ001' AND closed_at IS NULL AND opened_at <= '${asOf}' LIMIT 1`).get() as { id: string; p: string };
      const old = pick(`SELECT customer_id AS id FROM customers WHERE birth_date < '1955-01-01' AND customer_id NOT IN (SELECT customer_id FROM recommendations WHERE run_id = ${runId} AND product_id = 'XY002')`)!;
      insert.run(runId, conservative, 'JJ003'); // R5 for a C1
      insert.run(runId, expired, 'LC002'); // R2 on an expired assessment
      insert.run(runId, holder.id, holder.p); // held
      insert.run(runId, old, 'XY002'); // 青春信用卡, 18–30
      insert.run(runId, conservative, 'LC006'); // off sale
      const audit = auditRecommendations(planted, runId, asOf, readSettings(planted));
      expect(audit.byRule).toEqual({ above_risk_level: 1, assessment_expired: 1, held: 1, too_old: 1, inactive: 1 });
      expect(audit.unsuitable).toBe(5);
      expect(audit.examples).toHaveLength(5);
    } finally {
      planted.close();
    }
  });

  it('is re-run by the audit job on the latest run, and the overview shows it', async () => {
    const audit = await host.runJob('matching.audit', {});
    expect(audit).toMatchObject({ runId: demo.scoring.runId, unsuitable: 0, checked: demo.scoring.recommendations });
    const overview = await host.call('matching.overview', {});
    expect(overview.scoring?.audit.unsuitable).toBe(0);
    expect(overview.training?.runId).toBe(demo.training.runId);
    expect(overview.coHolding.length).toBeGreaterThan(3);
    for (const rule of overview.coHolding) {
      expect(rule.lift).toBeGreaterThan(1);
      expect(rule.confidence).toBeGreaterThan(0);
      expect(rule.customers).toBeGreaterThanOrEqual(20);
    }
  });
});

describe('the product list', () => {
  const productId = 'XY001';

  it('pages by propensity without gaps or repeats, masks names and phones, and counts the whole list', async () => {
    const seen: string[] = [];
    let after: { value: number; id: string } | undefined;
    let last = Number.POSITIVE_INFINITY;
    let total = 0;
    for (let page = 0; page < 100; page++) {
      const result = await host.call('matching.productList', { productId, limit: 50, ...(after ? { after } : {}) });
      total = result.total;
      for (const row of result.rows) {
        expect(row.propensity).toBeLessThanOrEqual(last);
        last = row.propensity;
        seen.push(row.customer_id);
        if (row.name) expect(row.name).toMatch(/\*/);
        if (row.mobile) expect(row.mobile).toMatch(/^\d{3}\*{4}\d{4}$/);
      }
      if (!result.next) break;
      after = result.next;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(total);
    const stored = db.prepare('SELECT count(*) AS n FROM recommendations WHERE run_id = ? AND product_id = ?').get(demo.scoring.runId, productId) as { n: number };
    expect(total).toBe(stored.n);
  });

  it('sorts by propensity × value, filters through the rule DSL and keeps only contactable customers when asked', async () => {
    const byValue = await host.call('matching.productList', { productId, sort: 'priority', limit: 20 });
    for (let i = 1; i < byValue.rows.length; i++) expect(byValue.rows[i]!.priority).toBeLessThanOrEqual(byValue.rows[i - 1]!.priority);
    const affluent = await host.call('matching.productList', { productId, filter: { field: 'value_tier', op: '=', value: 'affluent' }, limit: 200 });
    expect(affluent.total).toBeGreaterThan(0);
    expect(affluent.rows.every((r) => r.value_tier === 'affluent')).toBe(true);
    const contactable = await host.call('matching.productList', { productId, contactableOnly: true, limit: 500 });
    expect(contactable.total).toBeLessThan((await host.call('matching.productList', { productId, limit: 1 })).total);
    expect(contactable.rows.every((r) => r.consent_marketing === 1 && r.do_not_contact !== 1)).toBe(true);
    await expect(host.call('matching.productList', { productId, filter: { field: 'id_number', op: '=', value: 'x' } })).rejects.toThrow(/隐私/);
  });

  it('exports the list to XLSX with the audit entry, masked', async () => {
    const file = join(dir, '信用卡名单.xlsx');
    const result = await host.runJob('matching.export', { productId, path: file, contactableOnly: true });
    const expected = (await host.call('matching.productList', { productId, contactableOnly: true, limit: 1 })).total;
    expect(result.rows).toBe(expected);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual(expect.arrayContaining(['客户号', '姓名', '手机号', '购买可能性', '预期年贡献(万元)', '推荐理由']));
    expect(sheet.rowCount).toBe(expected + 1);
    expect(String(sheet.getRow(2).getCell(2).value)).toMatch(/\*/);
    const audit = db.prepare("SELECT params_json, row_count, output_sha256 FROM audit_log WHERE action = 'export' ORDER BY id DESC LIMIT 1").get() as { params_json: string; row_count: number; output_sha256: string };
    expect(JSON.parse(audit.params_json)).toMatchObject({ kind: 'matching-product-list', productId, contactableOnly: true, masked: true });
    expect(audit.row_count).toBe(expected);
    expect(audit.output_sha256).toBe(result.sha256);
  });
});

describe("one customer's matches", () => {
  it('lists the recommendations, the products ruled out with their reasons, and the contact status', async () => {
    const id = (db.prepare('SELECT customer_id AS id FROM recommendations WHERE run_id = ? AND rank = 3 LIMIT 1').get(demo.scoring.runId) as { id: string }).id;
    const matches = (await host.call('matching.customer', { customerId: id }))!;
    expect(matches.recommendations.map((r) => r.rank)).toEqual(matches.recommendations.map((_, i) => i + 1));
    expect(matches.excluded.length).toBeGreaterThan(0);
    for (const e of matches.excluded) expect(e.reason).toMatch(/[\u4e00-\u9fff]/);
    expect(matches.excluded.find((e) => e.productId === 'HQ001')).toMatchObject({ code: 'held', reason: '客户已持有该产品' });
    expect(typeof matches.contact.mayContact).toBe('boolean');
    if (matches.contact.lastContact) expect(matches.contact.daysSinceContact).toBeGreaterThanOrEqual(0);
    expect(await host.call('matching.customer', { customerId: 'NOBODY' })).toBeNull();
  });
});
