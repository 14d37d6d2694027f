import { type Calendar } from './calendar';
import { type CustomerProfile, birthdayAt } from './customers';
import { type ProductDef, PRODUCTS, SALARIED } from './reference-data';
import { streamRandom } from './seeds';
import type { Holding } from './plan';

/**
 * New product uptake over the last months of the window (issue #9 §3): each month, a customer may open a
 * product of a family he does not hold yet, with a monthly chance that rises with what a bank can see and
 * an analyst would expect to matter, and a noise of his own that no record shows. So product matching has
 * an honest, learnable and noisy signal, and holdings show new openings in recent months.
 *
 *   理财   more assets, 代发工资 and 信用卡 holders (工资理财), 手机银行 users, a time deposit just come due
 *          and not renewed; only for customers assessed above C1
 *   基金   手机银行 users, the young, 理财 holders, a deposit come due; C3 and above
 *   保险   customers with a loan (房贷, 消费贷), young families
 *   养老金 the forties and fifties, 代发工资, a mortgage
 *   信用卡 the young, 代发工资, 手机银行 users
 *   消费贷 the young, card holders, 代发工资
 *   手机银行 digital habits (younger customers), 代发工资
 *   定期   older customers, more assets, a deposit come due elsewhere
 *   积存金, 代发工资 rarely
 *
 * A time deposit coming due is also a moment of choice: some customers do not renew it (the renewal is
 * dropped) and move part of the money into 理财 or 基金 that day, and the others' next months carry a
 * higher chance. Customers who are drifting away (decay), sleeping or gone open nothing.
 *
 * All draws come from the customer's own 'uptake' stream, so the rest of the plan is the same with or
 * without it.
 */

/** Months at the end of the window in which uptake happens: enough for a held-out window two horizons back. */
export const UPTAKE_MONTHS = 15;

export interface UptakeContext {
  seed: number;
  profile: CustomerProfile;
  calendar: Calendar;
  /** AUM per window month, before the split into deposits and wealth. */
  aum: Float64Array;
  firstMonth: number;
  /** The first month of a decay's lead-in (no uptake from then on), or -1. */
  quietFrom: number;
  sleeper: boolean;
  closedDay: number;
  holdings: Holding[];
  timeProducts: Holding[];
  /** Adds a holding to the plan. */
  hold: (product: ProductDef, openDay: number, fields?: Partial<Holding>) => Holding;
  /** Adds an investment that takes `amount` of the AUM from `day` on (the wealth pool of plan.ts). */
  invest: (product: ProductDef, day: number, amount: number) => void;
  /** Adds a loan with its instalment and term. */
  lend: (product: ProductDef, day: number, amount: number, termMonths: number) => void;
  /** The pension account, once opened. */
  pension: (product: ProductDef, day: number) => void;
}

type Family = 'wealth' | 'fund' | 'insurance' | 'pension' | 'credit_card' | 'consumer_loan' | 'mobile_banking' | 'time_deposit' | 'precious_metal' | 'payroll';
const FAMILIES: readonly Family[] = ['wealth', 'fund', 'insurance', 'pension', 'credit_card', 'consumer_loan', 'mobile_banking', 'time_deposit', 'precious_metal', 'payroll'];
/** Spread of the customer's own, unrecorded taste for each family (log-odds). */
const TASTE_SD = 0.8;

const INVESTED = new Set<string>(['wealth', 'fund', 'insurance', 'pension', 'time_deposit', 'precious_metal']);
const shelf = (family: Family) => PRODUCTS.filter((p) => p.active && p.category === family && p.id !== 'DQ004' && p.id !== 'YL002');

export function planUptake(ctx: UptakeContext): void {
  const { profile, calendar, aum, holdings } = ctx;
  if (ctx.sleeper) return;
  const random = streamRandom(ctx.seed, 'uptake', profile.index);
  const M = calendar.months;
  const taste = new Map(FAMILIES.map((f) => [f, random.normal(0, TASTE_SD)] as const));
  const from = Math.max(ctx.firstMonth + 1, M - UPTAKE_MONTHS);
  const holdsOn = (category: string, day: number) => holdings.some((h) => h.product.category === category && h.openDay <= day && (h.closeDay < 0 || h.closeDay > day));
  const quiet = (m: number) => (ctx.quietFrom >= 0 && m >= ctx.quietFrom) || (ctx.closedDay >= 0 && calendar.firstDay(m) >= ctx.closedDay);
  let maturedDay = -1;

  // Deposits coming due in the uptake months: renewed (as planned) or not.
  for (const current of [...ctx.timeProducts]) {
    const due = current.openDay;
    const m = calendar.windowMonthOfDay(due);
    const renewal = holdings.some((h) => h !== current && h.product === current.product && h.closeDay === due);
    if (!renewal || m < from || m >= M || quiet(m)) continue;
    const stay = sigmoid(1.4 - 0.6 * (profile.risk >= 2 ? 1 : 0) - 0.8 * (profile.digital - 0.5) + 0.02 * (profile.age - 50));
    if (random.bernoulli(stay)) continue;
    holdings.splice(holdings.indexOf(current), 1);
    ctx.timeProducts.splice(ctx.timeProducts.indexOf(current), 1);
    maturedDay = due;
    const level = aum[m]!;
    const target = random.bernoulli(0.55) ? pick(random, 'wealth', profile, due, level) : null;
    if (target) ctx.invest(target, due, Math.max(target.minAmount, roundTo(level * random.uniform(0.1, 0.3), 1000)));
  }

  for (let m = from; m < M; m++) {
    if (quiet(m)) break;
    const start = calendar.firstDay(m);
    const level = aum[m]!;
    const age = ageOn(profile, start);
    const la = Math.log(Math.max(level, 1000) / 50_000);
    const has = (category: string) => holdsOn(category, start);
    const matured = maturedDay >= 0 && maturedDay <= start && start - maturedDay <= 95 ? 1 : 0;
    const payroll = has('payroll') ? 1 : 0;
    const card = has('credit_card') ? 1 : 0;
    const mobile = has('mobile_banking') ? 1 : 0;
    const mortgage = has('mortgage') ? 1 : 0;
    const loan = mortgage || has('consumer_loan') ? 1 : 0;
    const odds: Record<Family, number> = {
      wealth: profile.risk >= 2 && level >= 20_000 ? -4.3 + 0.5 * la + 0.9 * payroll + 0.7 * card + 0.5 * mobile + 1.7 * matured + (age >= 30 && age <= 65 ? 0.3 : 0) : -Infinity,
      fund: profile.risk >= 3 && level >= 10_000 ? -5.0 + 0.4 * la + 0.9 * mobile + (age < 40 ? 0.7 : 0) + 0.7 * (has('wealth') ? 1 : 0) + 0.9 * matured : -Infinity,
      insurance: age >= 25 && age <= 55 && level >= 10_000 ? -5.4 + 1.4 * loan + (profile.marital === '已婚' && age <= 45 ? 0.6 : 0) + 0.3 * la : -Infinity,
      // The account is for savers under 60; one opened at 59 must not hold it past 60 by the window's end.
      pension: age >= 30 && profile.age < 60 ? -5.5 + (age >= 40 ? 1.0 : 0) + 0.9 * payroll + 0.6 * mortgage + 0.3 * profile.incomeBand : -Infinity,
      credit_card: age >= 20 && age <= 55 ? -5.0 + (age <= 30 ? 1.4 : 0) + 0.7 * payroll + 0.6 * mobile + 0.2 * profile.incomeBand : -Infinity,
      consumer_loan: age >= 22 && age <= 50 ? -5.6 + (age <= 35 ? 1.0 : 0) + 0.7 * card + 0.5 * payroll : -Infinity,
      mobile_banking: age <= 70 ? -4.7 + 2.4 * (profile.digital - 0.5) - 0.02 * (age - 40) + 0.5 * payroll : -Infinity,
      time_deposit: level >= 10_000 ? -5.7 + (age >= 55 ? 1.2 : 0) + 0.4 * la + 1.5 * matured : -Infinity,
      precious_metal: profile.risk >= 3 && age <= 70 && level >= 10_000 ? -7.0 + 0.4 * la : -Infinity,
      payroll: SALARIED.has(profile.occupation) && age <= 60 ? -6.6 + (age <= 35 ? 0.6 : 0) : -Infinity,
    };
    for (const family of FAMILIES) {
      const logit = odds[family];
      if (logit === -Infinity || has(family) || !random.bernoulli(sigmoid(logit + taste.get(family)!))) continue;
      const day = start + random.int(calendar.daysIn(m));
      const product = pick(random, family, profile, day, level);
      if (product) open(ctx, random, product, day, level);
    }
  }
}

function open(ctx: UptakeContext, random: ReturnType<typeof streamRandom>, product: ProductDef, day: number, level: number): void {
  const { profile } = ctx;
  switch (product.category) {
    case 'wealth':
      ctx.invest(product, day, Math.max(product.minAmount, roundTo(level * random.uniform(0.1, 0.35), 10_000)));
      return;
    case 'fund':
    case 'precious_metal':
      ctx.invest(product, day, Math.max(product.minAmount, roundTo(level * random.uniform(0.03, 0.15), 1000)));
      return;
    case 'insurance': {
      const premium = product.id === 'BX001' ? roundTo(random.uniform(10_000, 30_000), 1000) : roundTo(random.uniform(3000, 9000), 100);
      if (product.id === 'BX001') ctx.invest(product, day, premium);
      else ctx.hold(product, day, { instalment: premium, amount: premium });
      return;
    }
    case 'pension':
      ctx.pension(product, day);
      return;
    case 'credit_card':
      ctx.hold(product, day, { balance: Math.round((random.next() < 0.4 ? 0 : (profile.income / 12) * random.uniform(0.05, 0.5)) * 100) / 100 });
      return;
    case 'consumer_loan':
      ctx.lend(product, day, Math.min(200_000, roundTo(random.logNormal(Math.log(50_000), 0.6), 1000)), random.pick([12, 24, 36]));
      return;
    case 'time_deposit':
      ctx.timeProducts.push(ctx.hold(product, day));
      return;
    default:
      ctx.hold(product, day);
  }
}

/** A product of the family the customer may buy on `day`: age limits, level, and the minimum within reach. */
function pick(random: ReturnType<typeof streamRandom>, family: Family, profile: CustomerProfile, day: number, level: number): ProductDef | null {
  const age = ageOn(profile, day);
  const invested = INVESTED.has(family);
  const options = shelf(family).filter(
    (p) =>
      (p.minAge === null || age >= p.minAge) &&
      (p.maxAge === null || age <= p.maxAge) &&
      // Sold within the customer's risk level (R1 products to anyone), and the minimum within half his money.
      (p.risk <= 1 || p.risk <= profile.risk) &&
      (!invested || p.minAmount <= level * 0.5),
  );
  return options.length === 0 ? null : random.pick(options);
}

function ageOn(profile: CustomerProfile, day: number): number {
  // Whole years: the birthday of this year passed or not.
  let years = profile.age;
  while (years > 0 && birthdayAt(profile, years) > day) years--;
  while (birthdayAt(profile, years + 1) <= day) years++;
  return years;
}

const roundTo = (x: number, step: number) => Math.max(step, Math.round(x / step) * step);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
