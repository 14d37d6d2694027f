import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSIVE_TRANSACTION_TYPES, TRANSACTION_TYPE_LABELS } from '../../../shared/dictionary';
import { Calendar } from '../../../electron/engine/demo/calendar';
import { generateProfile } from '../../../electron/engine/demo/customers';
import { buildPlan, campaignsFor } from '../../../electron/engine/demo/plan';
import { dayOf, generate, readCsv, removeDir } from './helpers';

/**
 * Statistical shape of a 5,000-customer branch: the correlations a real branch shows and the analytics
 * (tiers, lifecycle, churn warning) depend on. Thresholds are loose: they hold for any seed, not just this
 * one, and fail only when a relationship is broken.
 */
const CUSTOMERS = 5000;
const MONTHS = 24;
const SEED = 20240601;
const END = dayOf('2026-10-31');
const T3 = dayOf('2026-07-31');

interface Customer {
  id: string;
  age: number;
  occupation: string;
  risk: string;
  open: number;
  community: string;
  type: string;
  aum: Float64Array;
  lastActive: number;
  lastActiveAtT3: number;
  /** Customer-initiated transactions in the 90 days before T−3 and the 90 before that. */
  recent: number;
  earlier: number;
  complaintsBeforeT3: number;
  complaints: number;
  openHoldings: Set<string>;
  anyOpen: boolean;
}

const PASSIVE_LABELS = new Set(PASSIVE_TRANSACTION_TYPES.map((t) => TRANSACTION_TYPE_LABELS[t]));
const INFLOW_LABELS = new Set(['转账汇入', '存现', '理财赎回', '代发工资', '结息'].map(String));

const avg = (a: Float64Array, from: number, to: number) => {
  let sum = 0;
  let n = 0;
  for (let m = Math.max(0, from); m <= to; m++) {
    const v = a[m] as number;
    if (!Number.isNaN(v)) {
      sum += v;
      n++;
    }
  }
  return n ? sum / n : Number.NaN;
};
const share = (items: readonly boolean[]) => items.filter(Boolean).length / Math.max(1, items.length);

describe('demo realism (5,000 customers)', () => {
  let dir = '';
  const customers = new Map<string, Customer>();
  const channelsByAge = { young: new Map<string, number>(), old: new Map<string, number>() };
  let transactions = 0;
  let directionErrors = 0;

  beforeAll(async () => {
    const run = await generate('realism', { customers: CUSTOMERS, txPerYear: 60, months: MONTHS });
    dir = run.dir;
    const months = Array.from({ length: MONTHS }, (_, m) => {
      const i = 2026 * 12 + 9 - (MONTHS - 1) + m;
      return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
    });
    for (const r of readCsv(join(dir, 'customers.csv')).rows) {
      const birth = dayOf(r[3] as string);
      customers.set(r[0] as string, {
        id: r[0] as string,
        age: Math.floor((END - birth) / 365.2425),
        occupation: r[6] as string,
        risk: r[14] as string,
        open: dayOf(r[13] as string),
        community: r[11] as string,
        type: r[10] as string,
        aum: new Float64Array(MONTHS).fill(Number.NaN),
        lastActive: -1,
        lastActiveAtT3: -1,
        recent: 0,
        earlier: 0,
        complaintsBeforeT3: 0,
        complaints: 0,
        openHoldings: new Set(),
        anyOpen: false,
      });
    }
    const get = (id: string) => customers.get(id) as Customer;
    for (const r of readCsv(join(dir, 'balances.csv')).rows) get(r[0] as string).aum[months.indexOf(r[1] as string)] = Number(r[2]);
    for (const r of readCsv(join(dir, 'holdings.csv')).rows) {
      if (r[3]) continue;
      const c = get(r[0] as string);
      c.openHoldings.add(r[1] as string);
      c.anyOpen = true;
    }
    for (const r of readCsv(join(dir, 'transactions.csv')).rows) {
      transactions++;
      const c = get(r[1] as string);
      const day = dayOf(r[2] as string);
      const type = r[4] as string;
      if ((r[6] === '贷') !== INFLOW_LABELS.has(type)) directionErrors++;
      if (!PASSIVE_LABELS.has(type)) {
        c.lastActive = Math.max(c.lastActive, day);
        if (day <= T3) c.lastActiveAtT3 = Math.max(c.lastActiveAtT3, day);
        if (day <= T3 && day > T3 - 90) c.recent++;
        else if (day <= T3 - 90 && day > T3 - 180) c.earlier++;
      }
      if (r[3] && (c.age < 35 || c.age >= 60)) {
        const group = c.age < 35 ? channelsByAge.young : channelsByAge.old;
        group.set(r[3], (group.get(r[3]) ?? 0) + 1);
      }
    }
    for (const r of readCsv(join(dir, 'interactions.csv')).rows) {
      if (r[3] !== '投诉') continue;
      const c = get(r[0] as string);
      c.complaints++;
      if (dayOf(r[1] as string) <= T3 && dayOf(r[1] as string) > T3 - 180) c.complaintsBeforeT3++;
    }
  });
  afterAll(() => removeDir(dir));

  const all = () => [...customers.values()];

  it('ties occupation, risk appetite and products to age', () => {
    const retired = all().filter((c) => c.occupation === '退休人员');
    expect(retired.reduce((s, c) => s + c.age, 0) / retired.length).toBeGreaterThan(60);
    const students = all().filter((c) => c.occupation === '学生');
    expect(students.reduce((s, c) => s + c.age, 0) / students.length).toBeLessThan(25);
    const assessedElderly = all().filter((c) => c.age >= 65 && c.risk);
    expect(share(assessedElderly.map((c) => c.risk === '保守型' || c.risk === '稳健型'))).toBeGreaterThan(0.85);
    const assessedYoung = all().filter((c) => c.age < 40 && c.risk);
    expect(share(assessedYoung.map((c) => c.risk === '保守型' || c.risk === '稳健型'))).toBeLessThan(0.5);
    const mortgage = all().filter((c) => c.openHoldings.has('FD001'));
    expect(mortgage.length).toBeGreaterThan(150);
    expect(share(mortgage.map((c) => c.age >= 28 && c.age <= 50))).toBeGreaterThan(0.7);
    const pension = all().filter((c) => c.openHoldings.has('YL001'));
    expect(pension.every((c) => c.age < 61)).toBe(true);
    const elderCard = all().filter((c) => c.openHoldings.has('HQ002'));
    expect(elderCard.every((c) => c.age >= 60)).toBe(true);
    const sme = share(all().map((c) => c.type === '小微企业主'));
    expect(sme).toBeGreaterThan(0.05);
    expect(sme).toBeLessThan(0.11);
  });

  it('sends the young to the mobile app and the old to the counter', () => {
    const mobileShare = (m: Map<string, number>) => (m.get('手机银行') ?? 0) / [...m.values()].reduce((a, b) => a + b, 0);
    const counterShare = (m: Map<string, number>) => (m.get('柜面') ?? 0) / [...m.values()].reduce((a, b) => a + b, 0);
    expect(mobileShare(channelsByAge.young)).toBeGreaterThan(0.5);
    expect(mobileShare(channelsByAge.old)).toBeLessThan(0.35);
    expect(counterShare(channelsByAge.old)).toBeGreaterThan(counterShare(channelsByAge.young) * 3);
  });

  it('books about txPerYear transactions per customer-year with consistent 借/贷 flags', () => {
    let customerMonths = 0;
    for (const c of all()) for (const v of c.aum) if (!Number.isNaN(v)) customerMonths++;
    const perYear = transactions / (customerMonths / 12);
    expect(perYear).toBeGreaterThan(48);
    expect(perYear).toBeLessThan(72);
    expect(directionErrors).toBe(0);
  });

  it('draws communities with their own demographics and wealth', () => {
    const by = (id: string) => all().filter((c) => c.community === id);
    const meanAge = (cs: Customer[]) => cs.reduce((s, c) => s + c.age, 0) / cs.length;
    const meanAum = (cs: Customer[]) => cs.reduce((s, c) => s + (avg(c.aum, MONTHS - 3, MONTHS - 1) || 0), 0) / cs.length;
    expect(meanAge(by('SQ001'))).toBeGreaterThan(meanAge(by('SQ005')) + 15); // 老城区 vs 大学城
    expect(share(by('SQ005').map((c) => c.occupation === '学生'))).toBeGreaterThan(0.2);
    const richest = ['SQ001', 'SQ002', 'SQ003', 'SQ004', 'SQ005', 'SQ006', 'SQ007', 'SQ008', 'SQ009', 'SQ010', 'SQ011', 'SQ012'].sort((a, b) => meanAum(by(b)) - meanAum(by(a)));
    expect(richest[0]).toBe('SQ003'); // 高端住宅
    expect(meanAum(by('SQ004'))).toBeLessThan(meanAum(by('SQ011'))); // 城中村 below the average estate
  });

  it('forms the tier pyramid of DESIGN.md §4 on 3-month average AUM', () => {
    const tiers = [0, 0, 0, 0];
    let n = 0;
    for (const c of all()) {
      const v = avg(c.aum, MONTHS - 3, MONTHS - 1);
      if (Number.isNaN(v)) continue;
      n++;
      (tiers[v < 50_000 ? 0 : v < 500_000 ? 1 : v < 6_000_000 ? 2 : 3] as number)++;
    }
    const [mass, affluent, wealth, priv] = tiers.map((t) => t / n) as [number, number, number, number];
    expect(mass).toBeGreaterThan(0.7);
    expect(mass).toBeLessThan(0.82);
    expect(affluent).toBeGreaterThan(0.14);
    expect(affluent).toBeLessThan(0.22);
    expect(wealth).toBeGreaterThan(0.02);
    expect(wealth).toBeLessThan(0.06);
    expect(priv).toBeGreaterThan(0.0004);
    expect(priv).toBeLessThan(0.008);
  });

  it('lets decaying customers lose most of their AUM, often after a complaint', () => {
    const calendar = new Calendar('2026-10', MONTHS);
    const campaigns = campaignsFor(calendar);
    let decayers = 0;
    let finished = 0;
    let fellFar = 0;
    let complainedDecayers = 0;
    let complainedOthers = 0;
    let others = 0;
    for (let i = 0; i < CUSTOMERS; i++) {
      const profile = generateProfile(SEED, i, calendar);
      const plan = buildPlan(SEED, profile, calendar, campaigns);
      const c = customers.get(profile.id) as Customer;
      if (plan.decayStart < 0) {
        others++;
        if (c.complaints > 0) complainedOthers++;
        continue;
      }
      decayers++;
      if (c.complaints > 0) complainedDecayers++;
      // Decays that have run their course (at most six months) before the last quarter.
      if (plan.decayStart > MONTHS - 10) continue;
      finished++;
      let peak = 0;
      for (let m = 0; m < plan.decayStart; m++) peak = Math.max(peak, (c.aum[m] as number) || 0);
      if (avg(c.aum, MONTHS - 3, MONTHS - 1) <= 0.5 * peak) fellFar++;
    }
    expect(decayers / CUSTOMERS).toBeGreaterThan(0.08);
    expect(decayers / CUSTOMERS).toBeLessThan(0.18);
    expect(finished).toBeGreaterThan(100);
    expect(fellFar / finished).toBeGreaterThan(0.9);
    expect(complainedDecayers / decayers).toBeGreaterThan(3 * (complainedOthers / others));
  });

  it('gives a churn model honest, imperfect signal: features at T−3, label over (T−3, T]', () => {
    // Label per DESIGN.md §4: churned, dormant or ≥ 50% of AUM lost in (T−3, T], among customers live at T−3.
    const scored: [number, number][] = [];
    for (const c of all()) {
      const atT3 = c.aum[MONTHS - 4] as number;
      if (!(atT3 >= 0) || c.open > T3 - 180) continue;
      let peakBefore = 0;
      for (let m = 0; m < MONTHS - 4; m++) peakBefore = Math.max(peakBefore, (c.aum[m] as number) || 0);
      const churnedAtT3 = (atT3 < 1000 && peakBefore > 50_000) || atT3 === 0;
      const dormantAtT3 = c.lastActiveAtT3 < T3 - 180;
      if (churnedAtT3 || dormantAtT3) continue;
      let peakAll = peakBefore;
      for (let m = MONTHS - 4; m < MONTHS - 1; m++) peakAll = Math.max(peakAll, (c.aum[m] as number) || 0);
      const last = c.aum[MONTHS - 1] as number;
      const churned = (last < 1000 && peakAll > 50_000) || !c.anyOpen;
      const dormant = c.lastActive < END - 180;
      const lost = last <= 0.5 * avg(c.aum, MONTHS - 6, MONTHS - 4);
      const label = churned || dormant || lost ? 1 : 0;
      // A hand-made score from what an analyst sees at T−3: falling activity, complaints, falling AUM.
      const trend = avg(c.aum, MONTHS - 6, MONTHS - 4) / Math.max(1, avg(c.aum, MONTHS - 12, MONTHS - 7) || avg(c.aum, MONTHS - 6, MONTHS - 4));
      const score = -Math.log((c.recent + 1) / (c.earlier + 1)) + 1.5 * c.complaintsBeforeT3 - 2 * Math.log(Math.max(0.05, trend || 1));
      scored.push([score, label]);
    }
    const positives = scored.filter(([, y]) => y === 1).length;
    expect(positives / scored.length).toBeGreaterThan(0.03);
    expect(positives / scored.length).toBeLessThan(0.15);
    scored.sort((a, b) => a[0] - b[0]);
    let rankSum = 0;
    scored.forEach(([, y], i) => {
      if (y) rankSum += i + 1;
    });
    const auc = (rankSum - (positives * (positives + 1)) / 2) / (positives * (scored.length - positives));
    expect(auc).toBeGreaterThan(0.7);
    expect(auc).toBeLessThan(0.97);
  });
});
