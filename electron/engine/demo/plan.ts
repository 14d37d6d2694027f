import { type Calendar, calendarMonth, dayOf, firstDayOfMonth, monthOfDay, yearOfMonth } from './calendar';
import { type CustomerProfile, birthdayAt } from './customers';
import { COMMUNITIES, PRODUCTS, SALARIED, type ProductDef, product } from './reference-data';
import { streamRandom } from './seeds';
import { planUptake } from './uptake';

/**
 * A customer's story over the window, decided before a single row is written: which life event happens
 * (decay towards churn, growth, a one-off big spend), the monthly balance path that follows from it, the
 * products held and when they were opened and closed, and the one-off money movements that explain the
 * path. Balances, holdings and transactions are all read off this plan, so they tell the same story: a
 * decaying customer redeems his wealth products, moves the money out, stops using the card and maybe
 * complains first.
 */

export type Scenario = 'stable' | 'decay' | 'growth' | 'shock' | 'sleeper';
/**
 * How a decay ends: `closed` closes every account (流失: all accounts closed), `drained` leaves a few
 * hundred 元 (流失: AUM < 1,000 after > 50,000 when it was that big), `dormant` keeps the money but stops
 * transacting (沉睡), `declining` keeps a trickle of both.
 */
export type DecayOutcome = 'closed' | 'drained' | 'dormant' | 'declining';

export interface Holding {
  readonly product: ProductDef;
  openDay: number;
  /** -1 while the holding is open. */
  closeDay: number;
  /** Balance on the as-of date; null for services that carry none (payroll, mobile banking). */
  balance: number | null;
  /** Investment holdings: share of the customer's wealth pool. */
  weight: number;
  /** Purchase amount, loan principal or annual premium. */
  amount: number;
  /** Monthly loan instalment or annual insurance premium; 0 otherwise. */
  instalment: number;
}

export type CampaignOutcome = 'contacted' | 'responded' | 'converted';

export interface CampaignResult {
  readonly campaignId: string;
  readonly day: number;
  readonly outcome: CampaignOutcome;
  readonly amount: number | null;
}

export interface CampaignDef {
  readonly id: string;
  readonly kind: 'wealth' | 'pension';
  readonly productId: string;
  /** First day of the campaign quarter, and how many days contacts were spread over. */
  readonly startDay: number;
  readonly spanDays: number;
}

/** A one-off money movement that explains a step in the balance path. */
export interface FlowEvent {
  readonly day: number;
  readonly type: 'transfer_out' | 'transfer_in' | 'wealth_buy' | 'wealth_redeem' | 'fund_buy' | 'insurance_pay';
  readonly amount: number;
  readonly productId: string | null;
}

export interface CustomerPlan {
  readonly scenario: Scenario;
  readonly outcome: DecayOutcome | null;
  /** Window month of the first balance row (the month the account was opened, or 0). */
  readonly firstMonth: number;
  readonly aum: Float64Array;
  readonly deposit: Float64Array;
  readonly wealth: Float64Array;
  readonly loan: Float64Array;
  /** Multiplier of the customer-initiated transaction rate per window month. */
  readonly activity: Float64Array;
  /** Last day with customer-initiated transactions (dormant, drained and closed customers stop early). */
  readonly activeUntilDay: number;
  /** Day every account was closed, or -1: nothing at all happens after it. */
  readonly closedDay: number;
  /** Window month the AUM starts to fall, -1 if it does not. */
  readonly decayStart: number;
  /** Months of falling activity before the AUM falls (the precursor a churn model can see). */
  readonly decayLead: number;
  readonly complaintDay: number;
  readonly pensionCredit: boolean;
  readonly holdings: Holding[];
  readonly campaigns: CampaignResult[];
  readonly flows: FlowEvent[];
}

/** Monthly-average balance seasonality: year-end bonuses, quarter-end deposit drives, 双十一 spending. */
const BALANCE_SEASON = [0, 1.03, 1.01, 1.02, 0.99, 0.99, 1.02, 0.99, 0.99, 1.02, 0.995, 0.98, 1.03];

const INVESTMENT_CATEGORIES = new Set(['wealth', 'fund', 'precious_metal', 'insurance', 'pension']);
const INVESTMENT_CANDIDATES = PRODUCTS.filter(
  (p) => p.active && INVESTMENT_CATEGORIES.has(p.category) && p.id !== 'YL001' && p.id !== 'BX002',
);
const LEGACY_PRODUCT = product('LC006');
const PENSION_LAUNCH = dayOf(2022, 11, 25);
const MOBILE_LAUNCH = dayOf(2013, 6, 1);

export function campaignsFor(calendar: Calendar): CampaignDef[] {
  const at = (monthsBeforeEnd: number, kind: CampaignDef['kind'], label: string, productId: string): CampaignDef => {
    let month = Math.max(calendar.startMonth, calendar.endMonth - monthsBeforeEnd);
    month -= (calendarMonth(month) - 1) % 3;
    if (month < calendar.startMonth) month += 3;
    const quarter = Math.floor((calendarMonth(month) - 1) / 3) + 1;
    const startDay = firstDayOfMonth(month);
    const spanDays = Math.max(1, Math.min(75, calendar.endDay - startDay - 1));
    return { id: `CMP${yearOfMonth(month)}-Q${quarter}-${label}`, kind, productId, startDay, spanDays };
  };
  return [at(12, 'wealth', '理财', 'LC002'), at(5, 'pension', '养老金', 'YL001')];
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const round2 = (x: number) => Math.round(x * 100) / 100;
const roundTo = (x: number, step: number) => Math.max(step, Math.round(x / step) * step);

/** Balance of an annuity loan after `paid` monthly instalments. */
function amortised(principal: number, monthlyRate: number, termMonths: number, paid: number): number {
  if (paid >= termMonths) return 0;
  if (paid <= 0) return principal;
  const growth = Math.pow(1 + monthlyRate, paid);
  const instalment = annuity(principal, monthlyRate, termMonths);
  return Math.max(0, principal * growth - (instalment * (growth - 1)) / monthlyRate);
}

function annuity(principal: number, monthlyRate: number, termMonths: number): number {
  return (principal * monthlyRate) / (1 - Math.pow(1 + monthlyRate, -termMonths));
}

const LOAN_RATE: Readonly<Record<string, number>> = { FD001: 0.041 / 12, XD001: 0.065 / 12, XD002: 0.055 / 12, JY001: 0.045 / 12, JY002: 0.043 / 12 };

/** Whole months between two days, counting month boundaries crossed. */
function monthsBetween(fromDay: number, toDay: number): number {
  return monthOfDay(toDay) - monthOfDay(fromDay);
}

function clampDay(day: number, min: number, max: number): number {
  return day < min ? min : day > max ? max : day;
}

export function buildPlan(seed: number, profile: CustomerProfile, calendar: Calendar, campaigns: readonly CampaignDef[]): CustomerPlan {
  const random = streamRandom(seed, 'plan', profile.index);
  const M = calendar.months;
  const endDay = calendar.endDay;
  const community = COMMUNITIES[profile.community] ?? (COMMUNITIES[0] as (typeof COMMUNITIES)[number]);
  const openMonth = calendar.windowMonthOfDay(profile.openDay);
  const firstMonth = Math.max(0, openMonth);

  // --- Which life event, if any ---------------------------------------------------------------------
  let scenario: Scenario = 'stable';
  let base = profile.wealth;
  // Sleeping accounts (睡眠户): a small balance nobody has touched for years.
  if ((base < 2000 && profile.engagement < -0.5 && random.bernoulli(0.6)) || (profile.secondary && base < 300 && random.bernoulli(0.3))) {
    scenario = 'sleeper';
    base = Math.min(base, random.uniform(5, 1500));
  } else {
    const decayOdds = Math.min(0.5, 0.15 * Math.exp(-0.55 * profile.engagement) * (profile.secondary ? 1.25 : 1));
    const growthOdds = 0.055 * (profile.age < 50 ? 1.3 : 0.7);
    const draw = random.next();
    if (base >= 2000 && draw < decayOdds) scenario = 'decay';
    else if (draw < decayOdds + growthOdds) scenario = 'growth';
    else if (base >= 20_000 && draw < decayOdds + growthOdds + 0.03) scenario = 'shock';
  }

  let decayStart = -1;
  let decayLead = 0;
  let decayLength = 0;
  let outcome: DecayOutcome | null = null;
  let decayFloor = 1;
  if (scenario === 'decay') {
    // Later months are likelier, so that a churn label over the last quarter has enough positives.
    const earliest = firstMonth + 4;
    if (earliest > M - 1) scenario = 'stable';
    else {
      const weights: number[] = [];
      for (let m = earliest; m < M; m++) weights.push(1 + (2.2 * m) / M);
      decayStart = earliest + random.weightedIndex(weights);
      decayLead = random.weightedIndex([0.2, 0.35, 0.3, 0.15]);
      decayLength = random.intBetween(3, 6);
      outcome = random.weightedPick<DecayOutcome>(['closed', 'drained', 'dormant', 'declining'], [0.2, 0.25, 0.25, 0.3]);
      decayFloor = outcome === 'closed' || outcome === 'drained' ? Math.min(0.05, random.uniform(100, 900) / base) : 1 - random.uniform(0.6, 0.95);
    }
  }
  // Growth and one-off spends need an account that existed before them.
  if ((scenario === 'growth' && firstMonth + 2 > M - 1) || (scenario === 'shock' && firstMonth + 1 > M - 1)) scenario = 'stable';
  const growthStart = scenario === 'growth' ? random.intBetween(firstMonth + 2, M - 1) : -1;
  const growthGain = random.uniform(0.25, 1.0);
  const shockMonth = scenario === 'shock' ? random.intBetween(firstMonth + 1, M - 1) : -1;
  const shockDepth = random.uniform(0.4, 0.8);
  const shockDay = shockMonth >= 0 ? calendar.firstDay(shockMonth) + random.int(calendar.daysIn(shockMonth)) : -1;

  const decayEndMonth = decayStart >= 0 ? decayStart + decayLength : M;
  let closedDay = -1;
  if (outcome === 'closed' && decayEndMonth - 1 < M - 1) {
    const m = decayEndMonth;
    closedDay = calendar.firstDay(m) + random.int(calendar.daysIn(m));
  }

  // --- The AUM path ----------------------------------------------------------------------------------
  const aum = new Float64Array(M);
  const drift = random.normal(0.03, 0.05);
  const rampMonths = random.uniform(1.5, 5);
  let noise = random.normal(0, 0.08);
  for (let m = firstMonth; m < M; m++) {
    noise = 0.7 * noise + random.normal(0, 0.045);
    let level = base * Math.exp(drift * ((m - (M - 1)) / 12) + noise) * (BALANCE_SEASON[calendarMonth(calendar.startMonth + m)] as number);
    if (openMonth >= 0) {
      // A new account fills up over a few months; the opening month averages over part of the month.
      const k = m - openMonth;
      const ramp = Math.min(1, (k + 0.5) / rampMonths);
      const share = k === 0 ? (calendar.firstDay(m) + calendar.daysIn(m) - profile.openDay) / calendar.daysIn(m) : 1;
      level *= ramp * share;
    }
    if (decayStart >= 0) {
      if (m >= decayStart - decayLead && m < decayStart) level *= Math.pow(0.97, m - decayStart + decayLead + 1);
      else if (m >= decayStart) {
        const progress = Math.min(1, (m - decayStart + 1) / decayLength);
        const eased = 0.5 - 0.5 * Math.cos(Math.PI * progress);
        level *= (1 - (1 - decayFloor) * eased) * Math.pow(0.97, decayLead) * (m >= decayEndMonth ? Math.pow(0.98, m - decayEndMonth + 1) : 1);
      }
    }
    if (growthStart >= 0 && m >= growthStart) level *= 1 + growthGain * Math.min(1, (m - growthStart + 1) / 6);
    if (shockMonth >= 0 && m >= shockMonth) {
      const stillOut = shockDepth * Math.exp(-0.05 * (m - shockMonth));
      const share = m === shockMonth ? (calendar.firstDay(m) + calendar.daysIn(m) - shockDay) / calendar.daysIn(m) : 1;
      level *= 1 - stillOut * share;
    }
    if (closedDay >= 0) {
      const closeMonth = calendar.windowMonthOfDay(closedDay);
      if (m > closeMonth) level = 0;
      else if (m === closeMonth) level *= (closedDay - calendar.firstDay(m)) / calendar.daysIn(m);
    }
    aum[m] = level;
  }

  // --- Products --------------------------------------------------------------------------------------
  const holdings: Holding[] = [];
  const flows: FlowEvent[] = [];
  const hold = (p: ProductDef, openDay: number, fields: Partial<Holding> = {}): Holding => {
    const h: Holding = { product: p, openDay, closeDay: -1, balance: null, weight: 0, amount: 0, instalment: 0, ...fields };
    holdings.push(h);
    return h;
  };
  const since = (from: number, spanDays: number) => clampDay(from + random.int(Math.max(1, spanDays)), profile.openDay, endDay);
  const ageOk = (p: ProductDef, age = profile.age) => (p.minAge === null || age >= p.minAge) && (p.maxAge === null || age <= p.maxAge);

  const demand = hold(product('HQ001'), profile.openDay);
  if (profile.age >= 60 && random.bernoulli(0.35)) hold(product('HQ002'), since(Math.max(profile.openDay, birthdayAt(profile, 60)), 900));
  if (random.bernoulli(Math.pow(profile.digital, 1.3) * (profile.secondary ? 0.8 : 0.97))) {
    hold(product('SJ001'), since(Math.max(profile.openDay, MOBILE_LAUNCH), profile.age < 35 ? 30 : 2000));
  }
  const salaried = SALARIED.has(profile.occupation);
  if (salaried && random.bernoulli(Math.min(0.9, 0.5 * community.payrollBoost))) {
    const opened = since(Math.max(profile.openDay, endDay - random.int(12 * 365)), 60);
    // A sleeping account (睡眠户) receives no salary: 代发 into an account nobody touches contradicts itself.
    // The dates are drawn all the same, so every later draw of the stream stays where it was.
    if (scenario !== 'sleeper') hold(product('DF001'), opened);
  }
  const pensionCredit = profile.occupation === '退休人员' && random.bernoulli(0.55);
  if (profile.age >= 20 && profile.age <= 60 && random.bernoulli(0.1 + 0.08 * profile.incomeBand + (profile.digital > 0.6 ? 0.08 : 0))) {
    const card = profile.age <= 30 && random.bernoulli(0.5) ? 'XY002' : profile.incomeBand >= 3 && profile.age >= 25 ? 'XY003' : 'XY001';
    const from = Math.max(profile.openDay, birthdayAt(profile, card === 'XY003' ? 25 : 20));
    hold(product(card), since(from, Math.min(3000, endDay - from)), {
      balance: round2(random.next() < 0.35 ? 0 : (profile.income / 12) * random.uniform(0.05, 0.7)),
    });
  }

  // Time deposits: the older the customer, the likelier money sits in 定期; a 1-year deposit rolls over.
  const timeProducts: Holding[] = [];
  if (base >= 10_000 && scenario !== 'sleeper' && random.bernoulli(0.12 + 0.5 * Math.min(1, Math.max(0, (profile.age - 30) / 40)))) {
    const p = product(profile.age >= 50 && random.bernoulli(0.5) ? 'DQ002' : 'DQ001');
    const current = hold(p, since(endDay - p.termMonths * 30, p.termMonths * 30));
    timeProducts.push(current);
    const previous = current.openDay - p.termMonths * 30 - random.int(20);
    if (previous >= profile.openDay) hold(p, previous, { closeDay: current.openDay, balance: 0 });
  }
  if (base >= 250_000 && random.bernoulli(0.5)) timeProducts.push(hold(product('DQ003'), since(endDay - 36 * 30, 36 * 30)));
  if (profile.marital === '已婚' && profile.age >= 28 && profile.age <= 45 && random.bernoulli(0.05)) {
    timeProducts.push(hold(product('DQ004'), since(endDay - 36 * 30, 36 * 30)));
  }

  // Investments: only for customers whose questionnaire allows more than R1, weighted to their appetite.
  const investments: Holding[] = [];
  let pool = 0;
  if (profile.risk >= 2 && base >= 20_000 && scenario !== 'sleeper') {
    const invests = random.bernoulli((0.12 + 0.6 * sigmoid((Math.log(base) - Math.log(200_000)) / 0.7)) * (profile.age > 75 ? 0.5 : 1));
    if (invests) {
      pool = Math.max(0.05, Math.min(0.85, random.normal(0.18 + 0.07 * (profile.risk - 2) + (base > 500_000 ? 0.12 : 0), 0.12)));
      // A few customers hold a product above their current level: bought before a re-assessment downgraded them.
      const legacyViolation = random.bernoulli(0.025);
      const allowed = INVESTMENT_CANDIDATES.filter(
        (p) => ageOk(p) && p.minAmount <= base * pool && p.risk <= profile.risk + (legacyViolation && p.risk === profile.risk + 1 ? 1 : 0),
      );
      const count = Math.min(allowed.length, 1 + (base > 100_000 ? 1 : 0) + (base > 1_000_000 ? 1 : 0) + (random.bernoulli(0.3) ? 1 : 0));
      const weights = allowed.map((p) => {
        let w = p.category === 'wealth' ? 3 : p.category === 'fund' ? 1.2 + (profile.age < 40 ? 1 : 0) : 0.6;
        if (p.risk === profile.risk) w *= 1.6;
        if (p.risk > profile.risk) w *= 6; // the legacy violator holds exactly that product
        return w;
      });
      const chosen = new Set<number>();
      for (let k = 0; k < count && chosen.size < allowed.length; k++) {
        const i = random.weightedIndex(weights.map((w, j) => (chosen.has(j) ? 0 : w)));
        chosen.add(i);
      }
      for (const i of [...chosen].sort((a, b) => a - b)) {
        const p = allowed[i] as ProductDef;
        const openDay = p.termMonths > 0 ? since(endDay - p.termMonths * 30, p.termMonths * 30) : since(endDay - 6 * 365, 6 * 365);
        investments.push(hold(p, openDay, { weight: random.uniform(0.5, 1.5) }));
      }
    }
  }
  // Legacy principal-guaranteed products, off the shelf since the 2018 rules; all matured long ago.
  if (profile.openDay < dayOf(2017, 6, 1) && profile.risk >= 2 && base >= 30_000 && random.bernoulli(0.1)) {
    const opened = clampDay(dayOf(2016, 1, 1) + random.int(900), profile.openDay, endDay);
    const closed = Math.min(endDay, opened + 365 + random.int(10));
    hold(LEGACY_PRODUCT, opened, { closeDay: closed, balance: 0, amount: roundTo(base * 0.3, 10_000) });
  }
  if (profile.age >= 30 && profile.age <= 60 && base >= 50_000 && scenario !== 'sleeper' && random.bernoulli(0.1)) {
    const annuityPolicy = random.bernoulli(0.5) && ageOk(product('BX001')) && profile.risk >= product('BX001').risk;
    const p = product(annuityPolicy ? 'BX001' : 'BX002');
    if (ageOk(p)) {
      const premium = annuityPolicy ? roundTo(random.uniform(10_000, 50_000), 1000) : roundTo(random.uniform(3000, 9000), 100);
      const h = hold(p, since(endDay - 8 * 365, 8 * 365), { instalment: premium, amount: premium });
      if (annuityPolicy) {
        h.weight = 0.8;
        investments.push(h);
        if (pool === 0) pool = Math.min(0.6, (premium * 2) / base);
      }
    }
  }
  let pensionAccount: Holding | null = null;
  if (profile.age >= 30 && profile.age < 60 && random.bernoulli(0.03 + 0.04 * profile.incomeBand)) {
    pensionAccount = hold(product('YL001'), since(Math.max(PENSION_LAUNCH, profile.openDay), endDay - PENSION_LAUNCH));
  }

  // Loans. A mortgage is taken out between 26 and 50 with a decent income; the shock event may be one.
  const loans: Holding[] = [];
  const mortgageOdds = 0.22 * community.mortgageBoost * [0.2, 0.65, 1.25, 1.5, 1.5][profile.incomeBand]!;
  const takeMortgage = (openDay: number) => {
    // The house prices the loan; the bank's debt-to-income rule caps it at a multiple of the income.
    const byPrice = random.uniform(0.5, 2.0) * 1_000_000 * (community.housePrice / 40_000);
    const principal = roundTo(Math.max(100_000, Math.min(byPrice, profile.income * random.uniform(5, 9))), 1000);
    const term = profile.age > 45 ? 240 : 360;
    loans.push(hold(product('FD001'), openDay, { amount: principal, instalment: round2(annuity(principal, LOAN_RATE.FD001 as number, term)) }));
  };
  if (profile.age >= 28 && profile.age <= 58 && scenario !== 'sleeper' && random.bernoulli(Math.min(0.8, mortgageOdds))) {
    const lo = Math.max(26, profile.age - 12);
    const hi = Math.min(50, profile.age);
    const openDay = clampDay(birthdayAt(profile, random.intBetween(lo, hi)) + random.int(365), profile.openDay, endDay);
    takeMortgage(openDay);
    const m = loans[loans.length - 1] as Holding;
    // Early repayment wave: some older mortgages were paid off in the last three years.
    if (endDay - openDay > 5 * 365 && random.bernoulli(0.12)) m.closeDay = endDay - random.int(3 * 365);
  }
  if (scenario === 'shock' && shockDay >= 0 && profile.age >= 28 && profile.age <= 45 && profile.incomeBand >= 1 && !loans.length && random.bernoulli(0.6)) {
    takeMortgage(shockDay);
  }
  if (profile.age >= 22 && profile.age <= 50 && scenario !== 'sleeper' && random.bernoulli(profile.incomeBand === 1 || profile.incomeBand === 2 ? 0.1 : 0.05)) {
    const principal = roundTo(random.logNormal(Math.log(50_000), 0.7), 1000);
    const term = random.pick([12, 24, 36]);
    const from = Math.max(endDay - 3 * 365, birthdayAt(profile, 22));
    const h = hold(product('XD001'), since(from, endDay - from), { amount: Math.min(200_000, principal) });
    h.instalment = round2(annuity(h.amount, LOAN_RATE.XD001 as number, term));
    h.weight = term; // the term of a consumer loan varies; weight carries it for loans
    loans.push(h);
  }
  if (loans.some((l) => l.product.id === 'FD001') && random.bernoulli(0.06)) {
    const opened = clampDay(dayOf(2021, 3, 1) + random.int(1000), profile.openDay, endDay);
    const h = hold(product('XD002'), opened, { amount: roundTo(random.uniform(50_000, 200_000), 1000), weight: 60 });
    h.instalment = round2(annuity(h.amount, LOAN_RATE.XD002 as number, 60));
    loans.push(h);
  }
  const adultBusiness = birthdayAt(profile, 22);
  if (profile.sme && profile.age >= 23 && profile.age <= 65 && scenario !== 'sleeper' && random.bernoulli(0.45)) {
    // A revolving one-year credit line: the current term, and the previous one closed at renewal.
    const amount = roundTo(random.uniform(50_000, 500_000), 10_000);
    const current = hold(product('JY001'), since(Math.max(endDay - 360, adultBusiness), 360), { amount, weight: 12 });
    current.instalment = round2(amount * (LOAN_RATE.JY001 as number));
    loans.push(current);
    const previous = current.openDay - 365;
    if (previous >= profile.openDay && previous >= adultBusiness) hold(product('JY001'), previous, { closeDay: current.openDay - 1, balance: 0, amount, weight: 12 });
    if (random.bernoulli(0.3)) {
      const from = Math.max(endDay - 3 * 365, adultBusiness);
      const big = hold(product('JY002'), since(from, endDay - from), { amount: roundTo(random.uniform(200_000, 2_000_000), 10_000), weight: 36 });
      big.instalment = round2(annuity(big.amount, LOAN_RATE.JY002 as number, 36));
      loans.push(big);
    }
  }
  for (const l of loans) {
    const term = l.product.id === 'FD001' ? (profile.age > 45 ? 240 : 360) : l.weight || l.product.termMonths;
    l.weight = term;
    if (l.closeDay < 0) {
      const maturity = l.openDay + Math.round(term * 30.44);
      if (maturity <= endDay) l.closeDay = maturity;
    }
  }

  // An investment that takes `amount` of the AUM (`level`) from `day` on: it takes its share of the pool,
  // and earlier months keep the pool they had.
  const invest = (p: ProductDef, day: number, amount: number, level: number): Holding => {
    const share = Math.min(0.5, amount / Math.max(level, 1));
    const weightSum = investments.reduce((s, h) => s + h.weight, 0);
    const newPool = Math.min(0.9, pool + share);
    const h = hold(p, day, { weight: weightSum > 0 ? (weightSum * share) / Math.max(pool, 0.01) : 1, amount });
    investments.push(h);
    pool = newPool;
    return h;
  };

  // --- Campaigns (before balances: a conversion opens a product) ------------------------------------
  const campaignResults: CampaignResult[] = [];
  for (const c of campaigns) {
    const contactDay = c.startDay + random.int(c.spanDays);
    const m = calendar.windowMonthOfDay(contactDay);
    if (contactDay <= profile.openDay + 30 || m < firstMonth || !profile.consent || profile.doNotContact) continue;
    if (closedDay >= 0 && contactDay >= closedDay) continue;
    const level = aum[Math.min(M - 1, Math.max(0, m))] as number;
    let targeted: boolean;
    let logit: number;
    if (c.kind === 'wealth') {
      targeted = profile.risk >= 2 && level >= 20_000 && random.bernoulli(0.5);
      logit = -2.7 + 0.55 * Math.log(level / 100_000) + 0.25 * (profile.risk - 2) - 0.015 * (profile.age - 45) + 0.45 * profile.engagement + (investments.length ? 0.4 : 0);
    } else {
      targeted = profile.age >= 30 && profile.age < 60 && !pensionAccount && (salaried || profile.incomeBand >= 2) && random.bernoulli(0.45);
      logit = -3.0 + 0.35 * profile.incomeBand + (profile.age >= 40 && profile.age < 55 ? 0.5 : 0) + 0.4 * profile.engagement + (profile.digital - 0.5);
    }
    if (!targeted) continue;
    if (decayStart >= 0 && m >= decayStart - decayLead) logit -= 1.5;
    const responded = random.bernoulli(sigmoid(logit));
    const converted = responded && random.bernoulli(0.35 + (investments.length ? 0.1 : 0));
    const day = contactDay + (responded ? random.int(14) : 0);
    if (!converted) {
      campaignResults.push({ campaignId: c.id, day: Math.min(day, endDay), outcome: responded ? 'responded' : 'contacted', amount: null });
      continue;
    }
    const convertDay = Math.min(day, endDay);
    if (c.kind === 'wealth') {
      const amount = roundTo(Math.min(level * random.uniform(0.1, 0.4), 2_000_000), 10_000);
      invest(product(c.productId), convertDay, amount, level);
      campaignResults.push({ campaignId: c.id, day: convertDay, outcome: 'converted', amount });
    } else {
      const amount = roundTo(random.uniform(2000, 12_000), 1000);
      pensionAccount = hold(product('YL001'), convertDay);
      campaignResults.push({ campaignId: c.id, day: convertDay, outcome: 'converted', amount });
    }
  }

  // --- New products taken up in the last months (uptake.ts): the signal product matching learns -------
  planUptake({
    seed,
    profile,
    calendar,
    aum,
    firstMonth,
    quietFrom: decayStart >= 0 ? decayStart - decayLead : -1,
    sleeper: scenario === 'sleeper',
    closedDay,
    holdings,
    timeProducts,
    hold,
    invest: (p, day, amount) => {
      invest(p, day, amount, aum[Math.min(M - 1, Math.max(0, calendar.windowMonthOfDay(day)))] as number);
    },
    lend: (p, day, amount, termMonths) => {
      const h = hold(p, day, { amount, weight: termMonths });
      h.instalment = round2(annuity(amount, LOAN_RATE[p.id] as number, termMonths));
      const maturity = day + Math.round(termMonths * 30.44);
      if (maturity <= endDay) h.closeDay = maturity;
      loans.push(h);
    },
    pension: (p, day) => {
      pensionAccount ??= hold(p, day);
    },
  });

  // --- A decay closes products: wealth redeemed first, then deposits, finally everything -------------
  if (decayStart >= 0) {
    const from = calendar.firstDay(decayStart);
    const span = Math.max(1, (decayEndMonth <= M ? calendar.monthStart[Math.min(decayEndMonth, M)]! : endDay) - from);
    for (const h of [...investments, ...timeProducts]) {
      if (h.closeDay >= 0 || h.openDay >= from) continue;
      const close = from + random.int(Math.ceil(span * 0.7));
      if (close <= endDay) h.closeDay = close;
    }
  }
  if (closedDay >= 0) {
    // Closing the relationship closes everything; nothing opened after it can exist.
    for (let i = holdings.length - 1; i >= 0; i--) {
      const h = holdings[i] as Holding;
      if (h.openDay > closedDay) {
        holdings.splice(i, 1);
        removeFrom(investments, h);
        removeFrom(loans, h);
        removeFrom(timeProducts, h);
      } else if (h.closeDay < 0 || h.closeDay > closedDay) h.closeDay = closedDay;
    }
  }
  // The holdings key is (customer, product, opened_at): two purchases of one product on one day are one row.
  for (let i = 1; i < holdings.length; i++) {
    const h = holdings[i] as Holding;
    // Step one way only (back from the as-of date, forward otherwise) so the search always ends.
    const step = h.openDay >= endDay ? -1 : 1;
    for (let j = 0; j < i; j++) {
      const other = holdings[j] as Holding;
      if (other.product === h.product && other.openDay === h.openDay) {
        h.openDay += step;
        if (h.closeDay >= 0 && h.closeDay < h.openDay) h.closeDay = h.openDay;
        j = -1; // look again from the start
      }
    }
  }

  // --- Monthly wealth, deposit and loan balances ------------------------------------------------------
  const wealth = new Float64Array(M);
  const deposit = new Float64Array(M);
  const loan = new Float64Array(M);
  const weightTotal = investments.reduce((s, h) => s + h.weight, 0);
  for (let m = firstMonth; m < M; m++) {
    const start = calendar.firstDay(m);
    const days = calendar.daysIn(m);
    let invested = 0;
    if (pool > 0 && weightTotal > 0) {
      for (const h of investments) invested += h.weight * openShare(h, start, days);
      invested /= weightTotal;
    }
    const total = aum[m] as number;
    const w = round2(total * pool * invested);
    wealth[m] = w;
    deposit[m] = round2(total - w);
    aum[m] = round2((wealth[m] as number) + (deposit[m] as number));
    let owed = 0;
    for (const l of loans) {
      const share = openShare(l, start, days);
      if (share === 0) continue;
      const rate = LOAN_RATE[l.product.id] as number;
      const paid = monthsBetween(l.openDay, start + days - 1);
      const revolving = l.product.id === 'JY001';
      owed += share * (revolving ? l.amount * 0.85 : amortised(l.amount, rate, l.weight, paid));
    }
    loan[m] = round2(owed);
  }

  // --- Balances on the as-of date, for the holdings file --------------------------------------------
  const last = M - 1;
  const endWealth = wealth[last] as number;
  const endDeposit = deposit[last] as number;
  for (const h of investments) {
    if (h.closeDay >= 0) h.balance = 0;
    else h.balance = weightTotal > 0 ? round2((endWealth * h.weight) / activeWeight(investments, endDay)) : 0;
  }
  let remaining = endDeposit;
  if (pensionAccount) {
    const years = Math.max(1, (endDay - pensionAccount.openDay) / 365);
    pensionAccount.balance = pensionAccount.closeDay >= 0 ? 0 : round2(Math.min(remaining * 0.3, 12_000 * years * random.uniform(0.3, 1)));
    remaining -= pensionAccount.balance;
  }
  const timeShare = timeProducts.length ? random.uniform(0.3, 0.8) : 0;
  const openTime = timeProducts.filter((h) => h.closeDay < 0);
  for (const h of timeProducts) h.balance = h.closeDay >= 0 ? 0 : round2((remaining * timeShare) / Math.max(1, openTime.length));
  if (openTime.length) remaining -= remaining * timeShare;
  demand.balance = demand.closeDay >= 0 ? 0 : round2(Math.max(0, remaining));
  for (const l of loans) {
    if (l.closeDay >= 0) l.balance = 0;
    else if (l.product.id === 'JY001') l.balance = round2(l.amount * 0.85);
    else l.balance = round2(amortised(l.amount, LOAN_RATE[l.product.id] as number, l.weight, monthsBetween(l.openDay, endDay)));
  }
  for (const h of holdings) {
    if (h.closeDay >= 0 && h.balance !== null) h.balance = 0;
    if (h.closeDay >= 0 && h.product.category === 'credit_card') h.balance = 0;
  }

  // --- One-off flows that explain the path ----------------------------------------------------------
  for (const h of investments) {
    const m = calendar.windowMonthOfDay(h.openDay);
    if (m >= 0 && m < M && h.product.category !== 'insurance') {
      const level = Math.max(aum[m] as number, (aum[Math.min(M - 1, m + 1)] as number) || 0);
      const amount = h.amount > 0 ? h.amount : Math.max(h.product.minAmount, roundTo((level * pool * h.weight) / Math.max(weightTotal, 1e-9), 1000));
      flows.push({ day: h.openDay, type: h.product.category === 'fund' || h.product.category === 'pension' ? 'fund_buy' : 'wealth_buy', amount, productId: h.product.id });
    }
    if (h.closeDay >= calendar.startDay && h.closeDay <= endDay && h.product.category !== 'insurance') {
      const m = calendar.windowMonthOfDay(h.closeDay);
      const prev = aum[Math.max(firstMonth, m - 1)] as number;
      const amount = roundTo((prev * pool * h.weight) / Math.max(weightTotal, 1e-9), 100);
      flows.push({ day: h.closeDay, type: 'wealth_redeem', amount, productId: h.product.id });
    }
  }
  for (const h of holdings) {
    if (h.product.category !== 'insurance' || h.instalment <= 0) continue;
    for (let y = 0; y < 10; y++) {
      const day = h.openDay + Math.round(y * 365.25);
      if (day > endDay || (h.closeDay >= 0 && day >= h.closeDay)) break;
      if (day >= calendar.startDay) flows.push({ day, type: 'insurance_pay', amount: h.instalment, productId: h.product.id });
    }
  }
  // Money leaving during a decay or a big purchase, arriving during growth: month-on-month steps of AUM.
  const stepMonths: [number, number][] = [];
  if (decayStart >= 0) for (let m = decayStart; m < Math.min(M, decayEndMonth + 1); m++) stepMonths.push([m, -1]);
  if (growthStart >= 0) for (let m = growthStart; m < Math.min(M, growthStart + 6); m++) stepMonths.push([m, 1]);
  for (const [m, sign] of stepMonths) {
    if (m <= firstMonth) continue;
    const change = ((aum[m] as number) - (aum[m - 1] as number)) * sign;
    if (change < 1000) continue;
    const pieces = change > 100_000 ? 2 : 1;
    for (let k = 0; k < pieces; k++) {
      const day = calendar.firstDay(m) + random.int(calendar.daysIn(m));
      if (closedDay >= 0 && day > closedDay) continue;
      flows.push({ day, type: sign < 0 ? 'transfer_out' : 'transfer_in', amount: roundTo((change / pieces) * random.uniform(0.85, 1.15), 100), productId: null });
    }
  }
  if (shockDay >= 0) flows.push({ day: shockDay, type: 'transfer_out', amount: roundTo(base * shockDepth, 1000), productId: null });

  // --- Activity: how often the customer acts, month by month ---------------------------------------
  const activity = new Float64Array(M);
  const lull = scenario === 'stable' && random.bernoulli(0.06) ? random.intBetween(firstMonth, M - 1) : -1;
  const lullLength = random.intBetween(2, 3);
  for (let m = firstMonth; m < M; m++) {
    let a = scenario === 'sleeper' ? 0 : random.logNormal(-0.03, 0.25);
    if (openMonth >= 0 && m === openMonth) a *= (calendar.firstDay(m) + calendar.daysIn(m) - profile.openDay) / calendar.daysIn(m);
    if (lull >= 0 && m >= lull && m < lull + lullLength) a *= 0.3; // a quiet spell that ends: noise for the churn model
    if (decayStart >= 0 && m >= decayStart - decayLead) {
      if (m < decayStart) a *= 0.55;
      else if (m < decayEndMonth) a *= 0.55 - (0.4 * (m - decayStart + 1)) / decayLength;
      else a *= outcome === 'declining' ? 0.25 : 0;
    }
    if (growthStart >= 0 && m >= growthStart) a *= 1.2;
    activity[m] = Math.max(0, a);
  }
  let activeUntilDay = endDay;
  if (closedDay >= 0) activeUntilDay = closedDay;
  else if (decayStart >= 0 && outcome !== 'declining' && decayEndMonth < M) activeUntilDay = calendar.firstDay(decayEndMonth) - 1;
  // A customer who stops using the bank (沉睡, drained) has his salary paid elsewhere from then on: 代发 ends
  // with his activity, rather than salary piling up in an account nobody touches (issue #14).
  if (closedDay < 0 && activeUntilDay < endDay) {
    for (const h of holdings) if (h.product.category === 'payroll' && h.closeDay < 0 && h.openDay <= activeUntilDay) h.closeDay = activeUntilDay + 1;
  }

  // --- A complaint often comes before the money leaves --------------------------------------------
  let complaintDay = -1;
  if (decayStart >= 0 && random.bernoulli(0.55)) {
    const m = Math.max(firstMonth, decayStart - random.intBetween(0, decayLead));
    complaintDay = calendar.firstDay(m) + random.int(calendar.daysIn(m));
  }

  return {
    scenario,
    outcome,
    firstMonth,
    aum,
    deposit,
    wealth,
    loan,
    activity,
    activeUntilDay,
    closedDay,
    decayStart,
    decayLead,
    complaintDay,
    pensionCredit,
    holdings,
    campaigns: campaignResults,
    flows,
  };
}

function removeFrom<T>(items: T[], item: T): void {
  const i = items.indexOf(item);
  if (i >= 0) items.splice(i, 1);
}

/** Fraction of a month (first day, length) during which a holding was open. */
function openShare(h: Holding, start: number, days: number): number {
  const from = Math.max(h.openDay, start);
  const to = Math.min(h.closeDay >= 0 ? h.closeDay : Number.MAX_SAFE_INTEGER, start + days);
  return to <= from ? 0 : (to - from) / days;
}

function activeWeight(investments: readonly Holding[], day: number): number {
  let sum = 0;
  for (const h of investments) if (h.openDay <= day && h.closeDay < 0) sum += h.weight;
  return sum || 1;
}
