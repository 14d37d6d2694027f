/**
 * The closed loop on an analysed 2,000-customer demo branch: audience → exclusions → control groups →
 * per-manager lists → export → responses → evaluation → wave 2, with the properties the issue asks to be
 * proven: no 勿扰 or non-consenting customer in any list, target ∩ control = ∅, no universal-control customer
 * in any list, contact fatigue honoured, concurrent holdouts disjoint, and an uplift whose interval contains
 * the true one.
 */
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../../shared/random';
import { evaluateCampaign } from '../../../electron/engine/campaigns/evaluation';
import { nextWave } from '../../../electron/engine/campaigns/next-wave';
import { campaignDetail, campaignMembers, listCampaigns } from '../../../electron/engine/campaigns/queries';
import { importResponses } from '../../../electron/engine/campaigns/responses';
import { universalControlJob, universalEffect } from '../../../electron/engine/campaigns/control-group';
import { periodById } from '../../../electron/engine/campaigns/universal-control';
import { judgeEligibility, loadEligibilityCustomers, loadProducts } from '../../../electron/engine/matching/eligibility';
import { riskList } from '../../../electron/engine/analytics/churn/queries';
import { customerPage } from '../../../electron/engine/customers/customer-list';
import type { Db } from '../../../electron/engine/db/workspace';
import type { JobContext } from '../../../electron/engine/context';
import { sha256File } from '../../../electron/engine/util/hash';
import { tempDir } from '../../support/temp';
import { analysedDemo, createCampaign, exportLists, membersOf, openDemo, parsed } from './support';

const dir = tempDir('bpw-campaigns-');
let db: Db;
let ctx: JobContext;

beforeAll(async () => {
  ({ db, ctx } = openDemo(await analysedDemo(dir)));
}, 300_000);
afterAll(() => db?.close());

const universalMembers = (periodId: number) => new Set(db.prepare('SELECT customer_id FROM universal_control_assignments WHERE period_id = ? AND in_control = 1').pluck().all(periodId) as string[]);

describe('the demo branch', () => {
  it("lists the demo's past campaigns, known from their responses, as history", () => {
    const { campaigns } = listCampaigns(db);
    const history = campaigns.filter((c) => c.status === 'history');
    const ids = db.prepare('SELECT DISTINCT campaign_id FROM campaign_responses ORDER BY 1').pluck().all() as string[];
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(history.map((c) => c.campaignId).sort()).toEqual(ids);
    const registered = db.prepare("SELECT campaign_id FROM campaigns WHERE status = 'history' ORDER BY 1").pluck().all();
    expect(registered).toEqual(ids);
    for (const c of history) expect(c.responses).toBe(db.prepare('SELECT count(*) FROM campaign_responses WHERE campaign_id = ?').pluck().get(c.campaignId));
    const past = evaluateCampaign(db, ids[0]!);
    expect(past.control).toBeNull();
    expect(past.verdict).toContain('没有对照组');
  });
});

describe('a retention campaign on the churn warning list', () => {
  let campaignId: string;
  let periodId: number;
  const startsOn = '2026-11-01';

  it('applies the exclusions in order and every count adds up', async () => {
    const plan = await createCampaign(ctx, { name: '高风险客户挽留', goal: 'retain', source: { kind: 'churn', bands: ['high', 'medium'] }, startsOn, endsOn: '2026-11-30', perManagerCap: 8 });
    campaignId = plan.campaignId!;
    periodId = plan.universalControl.periodId;
    const w = plan.waterfall;
    expect(w.steps.map((s) => s.key)).toEqual(['do_not_contact', 'no_consent', 'recent_contact', 'campaign_fatigue', 'universal_control', 'other_control']);
    expect(w.audience - w.steps.reduce((s, step) => s + step.excluded, 0)).toBe(w.eligible);
    expect(w.eligible).toBe(w.target + w.control + w.overCap);
    for (const step of ['do_not_contact', 'no_consent', 'recent_contact', 'universal_control']) expect(w.steps.find((s) => s.key === step)!.excluded).toBeGreaterThan(0);
    expect(w.overCap).toBeGreaterThan(0);
    expect(plan.managers.every((m) => m.target <= 8)).toBe(true);
    expect(plan.ranking).toBe('churn_value');
    expect(plan.universalControl).toMatchObject({ startsOn: '2026-10-01', endsOn: '2026-12-31', share: 0.05 });
    expect(plan.universalControl.size).toBe(100);
  });

  it('never lists a 勿扰 or non-consenting customer, nor a universal-control one, and keeps target and control apart', () => {
    const target = membersOf(db, campaignId, 'target');
    const control = membersOf(db, campaignId, 'control');
    expect(target.length).toBeGreaterThan(0);
    expect(control.length).toBeGreaterThan(0);
    const flags = db.prepare('SELECT customer_id, consent_marketing, do_not_contact FROM customers WHERE customer_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(target)) as { consent_marketing: number | null; do_not_contact: number | null }[];
    expect(flags.every((f) => f.do_not_contact !== 1 && f.consent_marketing === 1)).toBe(true);
    expect(target.filter((id) => control.includes(id))).toEqual([]);
    const universal = universalMembers(periodId);
    expect(target.filter((id) => universal.has(id))).toEqual([]);
    expect(control.filter((id) => universal.has(id))).toEqual([]);
  });

  it('honours contact fatigue: nobody contacted in the 30 days before the start is on the list', () => {
    const contacted = db
      .prepare(
        `SELECT m.customer_id FROM campaign_members m WHERE m.campaign_id = ? AND (
           EXISTS (SELECT 1 FROM interactions i WHERE i.customer_id = m.customer_id AND i.date > '2026-10-02' AND i.date <= ?)
           OR EXISTS (SELECT 1 FROM campaign_responses r WHERE r.customer_id = m.customer_id AND r.responded_at > '2026-10-02' AND r.responded_at <= ?))`,
      )
      .pluck()
      .all(campaignId, startsOn, startsOn);
    expect(contacted).toEqual([]);
  });

  it('keeps a concurrent campaign off this holdout, and off customers already on the maximum of campaigns', async () => {
    const again = await createCampaign(ctx, { name: '高风险客户挽留（同期）', goal: 'retain', source: { kind: 'churn', bands: ['high', 'medium'] }, startsOn: '2026-11-10', endsOn: '2026-12-10', maxCampaignsPer30Days: 1, perManagerCap: 8 });
    const steps = Object.fromEntries(again.waterfall.steps.map((s) => [s.key, s.excluded]));
    expect(steps.campaign_fatigue).toBe(membersOf(db, campaignId, 'target').length);
    expect(steps.other_control).toBe(membersOf(db, campaignId, 'control').length);
    const first = new Set([...membersOf(db, campaignId, 'target'), ...membersOf(db, campaignId, 'control')]);
    const second = [...membersOf(db, again.campaignId!, 'target'), ...membersOf(db, again.campaignId!, 'control')];
    expect(second.filter((id) => first.has(id))).toEqual([]);
  });

  it('writes the reasons from the churn drivers and the 话术 per customer', () => {
    const page = campaignMembers(db, parsedMembers(campaignId));
    expect(page.rows[0]!.reason).toMatch(/^流失风险 \d+%/);
    expect(page.rows[0]!.name).toMatch(/\*/);
  });
});

const parsedMembers = (campaignId: string) => ({ campaignId, group: 'target' as const, offset: 0, limit: 50 });

describe('export, responses and evaluation', () => {
  let campaignId: string;
  let workbook: string;
  const truth = { control: 0.1, target: 0.25 };

  beforeAll(async () => {
    const plan = await createCampaign(ctx, {
      name: '财富客户资产提升',
      goal: 'grow_assets',
      source: { kind: 'rule', rule: { field: 'value_tier', op: 'in', value: ['affluent', 'wealth', 'private'] } },
      startsOn: '2026-12-07',
      endsOn: '2027-01-06',
      controlShare: 0.3,
      costPerContact: 20,
    });
    campaignId = plan.campaignId!;
    // A name that reads as a formula to Excel, on the first target's list.
    const first = db.prepare("SELECT customer_id FROM campaign_members WHERE campaign_id = ? AND member_group = 'target' ORDER BY manager_id, rank LIMIT 1").pluck().get(campaignId) as string;
    db.prepare("UPDATE customers SET name = '=1+2' WHERE customer_id = ?").run(first);
  });

  it('exports one masked sheet per manager plus a summary, audited with the file hash', async () => {
    const result = await exportLists(ctx, { campaignId, path: dir });
    workbook = result.file;
    expect(workbook).toMatch(/财富客户资产提升-\d{4}-\d{2}-\d{2}\.xlsx$/);
    expect(result.masked).toBe(true);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(workbook);
    expect(book.worksheets[0]!.name).toBe('汇总');
    expect(book.worksheets.slice(1).map((s) => s.name)).toEqual(result.sheets);
    const header = book.worksheets[1]!.getRow(1).values as unknown[];
    expect(header.slice(1)).toEqual(['客户号', '姓名', '手机号', '层级', '近3个月日均资产(万元)', '上次联系', '推荐产品/流失原因', '话术', '跟进结果', '跟进日期', '成交金额(万元)']);
    const listed: string[] = [];
    const texts: string[] = [];
    for (const sheet of book.worksheets.slice(1)) {
      sheet.eachRow((row, n) => {
        if (n === 1) return;
        listed.push(String(row.getCell(1).value));
        texts.push(String(row.getCell(2).value), String(row.getCell(3).value));
        expect(String(row.getCell(8).value)).toContain('您好');
      });
    }
    expect(listed.sort()).toEqual(membersOf(db, campaignId, 'target'));
    expect(listed.filter((id) => membersOf(db, campaignId, 'control').includes(id))).toEqual([]);
    expect(texts.filter((_, i) => i % 2 === 1).every((m) => /^\d{3}\*{4}\d{4}$/.test(m))).toBe(true);
    expect(texts).toContain("'=**2");
    const audit = db.prepare("SELECT row_count, output_sha256, reason, params_json FROM audit_log WHERE action = 'campaign.export' ORDER BY id DESC LIMIT 1").get() as { row_count: number; output_sha256: string; reason: string | null; params_json: string };
    expect(audit.row_count).toBe(result.rows);
    expect(audit.output_sha256).toBe(await sha256File(workbook));
    expect(audit.reason).toBeNull();
    expect(JSON.parse(audit.params_json)).toMatchObject({ campaignId, masked: true });
  });

  it('unmasks only with a stated purpose, which the audit log keeps; CSV goes one file per manager with a BOM', async () => {
    expect(() => parsed('campaigns.export', { campaignId, path: dir, unmask: true })).toThrow(/用途/);
    const csvDir = join(dir, 'csv');
    mkdirSync(csvDir);
    const result = await exportLists(ctx, { campaignId, path: csvDir, format: 'csv', unmask: true, purpose: '客户经理电话回访' });
    expect(result.masked).toBe(false);
    expect(readdirSync(csvDir)).toHaveLength(result.sheets.length);
    const text = readFileSync(result.files[0]!.path, 'utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toMatch(/1[3-9]\d{9}/);
    const reasons = db.prepare("SELECT DISTINCT reason FROM audit_log WHERE action = 'campaign.export' AND reason IS NOT NULL").pluck().all();
    expect(reasons).toEqual(['客户经理电话回访']);
    expect(readFileSync(result.files.find((f) => readFileSync(f.path, 'utf8').includes('=1+2'))!.path, 'utf8')).toContain("'=1+2");
  });

  it('imports the filled-in lists and a plain response file, reports outsiders, and finds the true uplift inside its interval', async () => {
    const random = new Random(7);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(workbook);
    let untouched = 0;
    for (const sheet of book.worksheets.slice(1)) {
      sheet.eachRow((row, n) => {
        if (n === 1) return;
        const converted = random.bernoulli(truth.target);
        if (!converted && random.bernoulli(0.3)) return void untouched++;
        row.getCell(9).value = converted ? '已成交' : '已触达';
        if (converted) row.getCell(11).value = 12.5;
      });
    }
    const filled = join(dir, 'filled.xlsx');
    await book.xlsx.writeFile(filled);
    const fromLists = await importResponses(ctx, parsed('campaigns.importResponses', { campaignId, file: filled }));
    expect(fromLists.rowsLoaded + untouched).toBe(membersOf(db, campaignId, 'target').length);

    // The branch's sales records: conversions among the control group, and one customer of neither group.
    const control = membersOf(db, campaignId, 'control');
    const outsider = db.prepare('SELECT customer_id FROM customers WHERE customer_id NOT IN (SELECT customer_id FROM campaign_members WHERE campaign_id = ?) LIMIT 1').pluck().get(campaignId) as string;
    const lines = ['客户号,结果,日期,金额', ...control.filter(() => random.bernoulli(truth.control)).map((id) => `${id},已成交,2026-12-20,50000`), `${outsider},已成交,2026-12-21,10000`];
    const plain = join(dir, 'sales.csv');
    writeFileSync(plain, `${lines.join('\n')}\n`);
    const fromSales = await importResponses(ctx, parsed('campaigns.importResponses', { campaignId, file: plain }));
    expect(fromSales.outsiders).toEqual({ count: 1, sample: [outsider] });

    const e = fromSales.evaluation;
    expect(e.target.n).toBe(membersOf(db, campaignId, 'target').length);
    expect(e.control!.n).toBe(control.length);
    expect(e.ci95![0]).toBeLessThanOrEqual(truth.target - truth.control);
    expect(e.ci95![1]).toBeGreaterThanOrEqual(truth.target - truth.control);
    expect(e.significant).toBe(true);
    expect(e.verdict).toMatch(/^转化率比对照组高 \d+\.\d 个百分点（95% 置信区间 \d+\.\d 至 \d+\.\d），效果显著$/);
    expect(e.outsiders).toBe(1);
    expect(e.cost).toBe(20 * e.target.contacted);
    expect(e.byManager.reduce((s, r) => s + r.targetN, 0)).toBe(e.target.n);
    expect(e.byTier.length).toBeGreaterThan(1);
    expect(e.byTier.every((r) => ['金卡', '财富', '私行'].includes(r.label))).toBe(true);
    expect(campaignDetail(db, campaignId).evaluation?.uplift).toBe(e.uplift);
  });

  it('starts wave 2 with the non-responders, keeping the control group', async () => {
    const plan = await nextWave(ctx, parsed('campaigns.nextWave', { campaignId }));
    const wave2 = plan.campaignId!;
    expect(membersOf(db, wave2, 'control')).toEqual(membersOf(db, campaignId, 'control'));
    const responders = new Set(db.prepare("SELECT customer_id FROM campaign_responses WHERE campaign_id = ? AND outcome IN ('responded', 'converted')").pluck().all(campaignId) as string[]);
    const targets = membersOf(db, wave2, 'target');
    expect(targets.length).toBeGreaterThan(0);
    expect(targets.filter((id) => responders.has(id))).toEqual([]);
    expect(targets.every((id) => membersOf(db, campaignId, 'target').includes(id))).toBe(true);
    expect(campaignDetail(db, wave2)).toMatchObject({ wave: 2, parentId: campaignId, name: '财富客户资产提升（第2轮）' });
  });
});

describe('A/B and product campaigns', () => {
  it('splits the list between two scripts and compares them with the same interval', async () => {
    const plan = await createCampaign(ctx, {
      name: '手机银行激活 A/B',
      goal: 'activate',
      source: { kind: 'rule', rule: { field: 'value_tier', op: '=', value: 'mass' } },
      startsOn: '2026-12-07',
      arms: [{ label: '礼品', script: '{称呼}您好，开通手机银行即送礼品。' }, { label: '便捷', script: '{称呼}您好，手机银行转账免费、随时可用。' }],
    });
    const id = plan.campaignId!;
    const arms = db.prepare("SELECT arm, count(*) AS n FROM campaign_members WHERE campaign_id = ? AND member_group = 'target' GROUP BY arm ORDER BY arm").all(id) as { arm: string; n: number }[];
    expect(arms.map((a) => a.arm)).toEqual(['A', 'B']);
    expect(Math.abs(arms[0]!.n - arms[1]!.n)).toBeLessThanOrEqual(plan.managers.length);
    const random = new Random(3);
    const lines = ['客户号,结果', ...membersOf(db, id, 'target').map((c) => `${c},${random.bernoulli(0.3) ? '已成交' : '已触达'}`)];
    writeFileSync(join(dir, 'ab.csv'), `${lines.join('\n')}\n`);
    const e = (await importResponses(ctx, parsed('campaigns.importResponses', { campaignId: id, file: join(dir, 'ab.csv') }))).evaluation;
    expect(e.arms!.a.label).toBe('礼品');
    expect(e.arms!.a.n + e.arms!.b.n).toBe(e.target.n);
    expect(e.arms!.comparison.verdict).toMatch(/^方案“礼品”的转化率比方案“便捷”/);
  });

  it('leaves out holders of the product and customers it does not suit, by the matching rules', async () => {
    const product = loadProducts(db).find((p) => p.category === 'wealth' && p.active && (p.riskRating ?? 0) >= 3)!;
    const run = Number(db.prepare("INSERT INTO analysis_runs (kind, status, started_at, finished_at) VALUES ('matching', 'succeeded', ?, ?)").run('2026-12-01T00:00:00Z', '2026-12-01T00:01:00Z').lastInsertRowid);
    const insert = db.prepare("INSERT INTO recommendations (run_id, customer_id, product_id, rank, score, suitability, reasons_json) VALUES (?, ?, ?, 1, ?, 'ok', ?)");
    const everyone = db.prepare('SELECT customer_id FROM customers ORDER BY customer_id').pluck().all() as string[];
    everyone.forEach((id, i) => insert.run(run, id, product.productId, (i * 7919) % 1000 / 1000, JSON.stringify(['同类客户持有率高', { text: '资产规模匹配' }])));
    const plan = await createCampaign(ctx, { name: `${product.name}推荐`, goal: 'buy_product', productId: product.productId, source: { kind: 'product', productId: product.productId }, startsOn: '2026-12-07', perManagerCap: 1000 });
    const steps = Object.fromEntries(plan.waterfall.steps.map((s) => [s.key, s.excluded]));
    expect(steps.holds_product).toBeGreaterThan(0);
    expect(steps.unsuitable).toBeGreaterThan(0);
    expect(plan.ranking).toBe('match_score');
    const targets = membersOf(db, plan.campaignId!, 'target');
    const customers = loadEligibilityCustomers(db, '2026-10-31', targets);
    const rules = { asOf: '2026-12-07', riskAssessmentValidMonths: 12, elderlyAge: 65 };
    expect(targets.filter((id) => !judgeEligibility(customers.get(id)!, product, rules).eligible)).toEqual([]);
    const reason = db.prepare("SELECT reason FROM campaign_members WHERE campaign_id = ? AND member_group = 'target' LIMIT 1").pluck().get(plan.campaignId) as string;
    expect(reason).toContain(`推荐${product.name}：同类客户持有率高；资产规模匹配`);
  });
});

describe('the universal control group', () => {
  it('assigns newcomers when they appear, and a redraw opens a new period with a new group', async () => {
    const before = await universalControlJob(ctx, parsed('campaigns.controlGroup', {}));
    expect(before.newlyAssigned).toBe(0);
    db.prepare("INSERT INTO customers (customer_id, name, consent_marketing, do_not_contact) VALUES ('C99999999', '新客户', 1, 0)").run();
    const newcomer = await universalControlJob(ctx, parsed('campaigns.controlGroup', {}));
    expect(newcomer).toMatchObject({ periodId: before.periodId, newlyAssigned: 1, assigned: before.assigned + 1 });
    const redrawn = await universalControlJob(ctx, parsed('campaigns.controlGroup', { redraw: true }));
    expect(redrawn.periodId).not.toBe(before.periodId);
    expect(redrawn.size).toBe(Math.round(0.05 * redrawn.assigned));
    const overlap = [...universalMembers(redrawn.periodId)].filter((id) => universalMembers(before.periodId).has(id)).length;
    expect(overlap).toBeLessThan(redrawn.size / 2);
    expect(redrawn.effect?.notes.join('')).toContain('2026-10-31');
  });

  it('compares everything marketed with the never-marketed group by the share that opened a product in the period', async () => {
    const q3 = await universalControlJob(ctx, parsed('campaigns.controlGroup', { date: '2026-08-15' }));
    expect(q3).toMatchObject({ startsOn: '2026-07-01', endsOn: '2026-09-30' });
    // Drawn today, the group has held nobody out in Q3 yet: nothing to compare.
    expect(q3.effect?.comparison).toBeNull();
    // As if it had been drawn when the quarter began.
    const effect = universalEffect(db, { ...periodById(db, q3.periodId)!, drawnAt: '2026-07-01T00:00:00.000Z' });
    expect(effect.marketed.n + effect.holdout.n).toBe(q3.assigned);
    const opened = db
      .prepare("SELECT count(DISTINCT a.customer_id) FROM universal_control_assignments a JOIN holdings h ON h.customer_id = a.customer_id WHERE a.period_id = ? AND a.in_control = 1 AND h.opened_at BETWEEN '2026-07-01' AND '2026-09-30'")
      .pluck()
      .get(q3.periodId);
    expect(effect.holdout.converted).toBe(opened);
    expect(effect.comparison?.verdict).toMatch(/^新开产品率比全局对照组/);
  });
});

describe('contact columns', () => {
  it('show masked mobile, consent, 勿扰 and the last contact on the customer list and the risk list', () => {
    const page = customerPage(db, { limit: 50 });
    expect(page.rows[0]).toHaveProperty('consent_marketing');
    expect(page.rows.some((r) => typeof r.last_contact_date === 'string')).toBe(true);
    expect(page.rows.filter((r) => r.mobile !== null).every((r) => /^\d{3}\*{4}\d{4}$/.test(String(r.mobile)))).toBe(true);
    const risk = riskList(db, { sort: { field: 'churn_prob', direction: 'desc' }, limit: 50 });
    expect(risk.rows.some((r) => r.do_not_contact === 1)).toBe(true);
    expect(risk.rows.every((r) => r.mobile === null || /\*{4}/.test(r.mobile))).toBe(true);
  });
});
