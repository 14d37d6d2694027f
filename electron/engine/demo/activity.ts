import { TRANSACTION_TYPE_LABELS } from '../../../shared/dictionary';
import type { Random } from '../../../shared/random';
import { type Calendar, calendarMonth, formatDay, splitDay } from './calendar';
import type { CustomerProfile } from './customers';
import { csvText, money, slashDate, yesNo } from './format';
import type { CampaignOutcome, CustomerPlan, Holding } from './plan';
import { COMMUNITIES, EDUCATION_LEVELS, INCOME_BANDS, RISK_LEVEL_WORDS, TIER_BOUNDS } from './reference-data';
import { streamRandom } from './seeds';

/**
 * Row builders: each turns one customer's profile and plan into the lines of one file (without line
 * ends), in the column order of headers.ts. Lines go into a caller-owned array so that the defect planter
 * can salt them before they are written.
 */

// --- customers ---------------------------------------------------------------------------------------

export function customerLine(p: CustomerProfile): string {
  const community = COMMUNITIES[p.community];
  return [
    p.id,
    p.name,
    p.male ? '男' : '女',
    formatDay(p.birthDay),
    p.idNumber,
    p.mobile,
    csvText(p.occupation),
    csvText(EDUCATION_LEVELS[p.education] ?? ''),
    p.marital,
    INCOME_BANDS[p.incomeBand]?.label ?? '',
    p.sme ? '小微企业主' : '个人客户',
    community?.id ?? '',
    p.managerId,
    formatDay(p.openDay),
    p.risk > 0 ? RISK_LEVEL_WORDS[p.risk] : '',
    p.riskAssessedDay >= 0 ? slashDate(p.riskAssessedDay) : '',
    yesNo(p.consent),
    yesNo(p.doNotContact),
  ].join(',');
}

// --- holdings ----------------------------------------------------------------------------------------

export function holdingLines(p: CustomerProfile, plan: CustomerPlan, out: string[]): void {
  for (const h of plan.holdings) {
    out.push(`${p.id},${h.product.id},${formatDay(h.openDay)},${h.closeDay >= 0 ? formatDay(h.closeDay) : ''},${h.balance === null ? '' : money(h.balance)}`);
  }
}

// --- balances ----------------------------------------------------------------------------------------

export function balanceLines(p: CustomerProfile, plan: CustomerPlan, calendar: Calendar, out: string[]): void {
  for (let m = plan.firstMonth; m < calendar.months; m++) {
    out.push(`${p.id},${calendar.monthText[m]},${money(plan.aum[m] as number)},${money(plan.deposit[m] as number)},${money(plan.wealth[m] as number)},${money(plan.loan[m] as number)}`);
  }
}

// --- transactions ------------------------------------------------------------------------------------

const TYPES = [
  'consume',
  'transfer_out',
  'transfer_in',
  'withdraw',
  'cash_deposit',
  'bill_pay',
  'fee',
  'wealth_buy',
  'wealth_redeem',
  'fund_buy',
  'salary',
  'interest',
  'loan_repay',
  'insurance_pay',
  'auto_debit',
] as const;
type TxType = (typeof TYPES)[number];
const T = Object.fromEntries(TYPES.map((t, i) => [t, i])) as Record<TxType, number>;
const TYPE_LABEL = TYPES.map((t) => TRANSACTION_TYPE_LABELS[t] as string);
const INFLOW = new Set<TxType>(['transfer_in', 'cash_deposit', 'wealth_redeem', 'salary', 'interest']);
const DIRECTION_LABEL = TYPES.map((t) => (INFLOW.has(t) ? '贷' : '借'));
/** Customer-initiated types drawn from the customer's mix; the rest are scheduled. */
const ACTIVE_TYPES = 10;

const CHANNEL_LABEL = ['柜面', '手机银行', '网银', 'ATM', 'POS'];

/** Channel weights [counter, mobile, online, atm, pos] for a type, given the customer's digital affinity. */
function channelWeights(type: TxType, d: number): number[] | null {
  switch (type) {
    case 'consume':
      return [0, 0.12 + 0.6 * d, 0.04 + 0.08 * d, 0, Math.max(0.05, 0.84 - 0.68 * d)];
    case 'transfer_out':
      return [0.04 + 0.7 * (1 - d), 0.9 * d, 0.06 + 0.12 * d, 0.06 * (1 - d), 0];
    case 'transfer_in':
      return [0.08 + 0.3 * (1 - d), 0.55 * d + 0.1, 0.15, 0.03, 0];
    case 'withdraw':
      return [0.06 + 0.5 * (1 - d), 0.06 * d, 0, 0.5 + 0.2 * d, 0];
    case 'cash_deposit':
      return [0.1 + 0.55 * (1 - d), 0, 0, 0.35 + 0.3 * d, 0];
    case 'bill_pay':
      return [0.03 + 0.5 * (1 - d), 0.1 + 0.75 * d, 0.08, 0.04 * (1 - d), 0];
    case 'wealth_buy':
    case 'wealth_redeem':
    case 'fund_buy':
      return [0.05 + 0.8 * (1 - d), 0.08 + 0.8 * d, 0.07, 0, 0];
    case 'insurance_pay':
      return [0.1 + 0.6 * (1 - d), 0.7 * d, 0.1, 0, 0];
    default:
      return null; // posted by the bank's own batch: no channel
  }
}

const DIGITAL_BUCKETS = 21;
/** Cumulative channel weights per digital bucket and type; null where the channel is blank. */
const CHANNEL_CDF: (Float64Array | null)[][] = Array.from({ length: DIGITAL_BUCKETS }, (_, b) =>
  TYPES.map((type) => {
    const w = channelWeights(type, b / (DIGITAL_BUCKETS - 1));
    if (!w) return null;
    const cdf = new Float64Array(w.length);
    let s = 0;
    for (let i = 0; i < w.length; i++) cdf[i] = s += w[i] as number;
    for (let i = 0; i < w.length; i++) cdf[i] = (cdf[i] as number) / s;
    return cdf;
  }),
);

const COUNTER = 0;
const MOBILE = 1;
const ATM = 3;
const POS = 4;
const NO_CHANNEL = -1;

/**
 * A channel index drawn from a type's weights, or NO_CHANNEL for postings. Without mobile banking the
 * customer cannot use the app (issue #14: 46% of a non-holder's transactions were 手机银行): the same draw
 * then falls over the other channels' weights, so the random stream stays aligned whatever the holdings.
 */
function pickChannel(cdf: Float64Array | null, random: Random, mobileBanking: boolean): number {
  if (!cdf) return NO_CHANNEL;
  const r = random.next();
  if (mobileBanking) {
    for (let i = 0; i < cdf.length; i++) if (r < (cdf[i] as number)) return i;
    return cdf.length - 1;
  }
  const mobileWeight = (cdf[MOBILE] as number) - (cdf[MOBILE - 1] as number);
  const rest = 1 - mobileWeight;
  if (rest <= 1e-9) return COUNTER;
  let acc = 0;
  for (let i = 0; i < cdf.length; i++) {
    if (i === MOBILE) continue;
    acc += ((cdf[i] as number) - (i > 0 ? (cdf[i - 1] as number) : 0)) / rest;
    if (r < acc) return i;
  }
  return COUNTER;
}

/** Transaction rates by calendar month: Spring Festival, National Day and 双十一 spending. */
const TX_SEASON = [0, 1.1, 1.15, 0.95, 0.97, 1.0, 1.0, 0.98, 0.98, 0.97, 1.05, 1.08, 1.02];
const QUARTER_END = new Set([3, 6, 9, 12]);
const DEMAND_RATE = 0.0015;
/**
 * Calibrates the customer-initiated rate so that the file holds about txPerYear transactions per
 * customer-year overall, after sleepers, decays and scheduled postings are accounted for.
 */
const RATE_CALIBRATION = 1.14;

const ZEROS = Array.from({ length: 11 }, (_, k) => '0'.repeat(k));

export class TransactionIds {
  private next = 1;

  /** T0000000001, T0000000002, …: the ledger's serial numbers, in the order rows are written. */
  take(): string {
    const digits = String(this.next++);
    return digits.length < 10 ? `T${ZEROS[10 - digits.length]}${digits}` : `T${digits}`;
  }
}

// Scratch space reused for every customer-month: the generator is single-threaded.
const MAX_EVENTS = 1024;
const evType = new Int8Array(MAX_EVENTS);
const evAmount = new Float64Array(MAX_EVENTS);
const evProduct: (string | null)[] = new Array<string | null>(MAX_EVENTS).fill(null);
const evKey = new Float64Array(MAX_EVENTS);
// The month's rows in date order, before they are written: balanced against the balance path first.
const rowDay = new Int32Array(MAX_EVENTS);
const rowType = new Int8Array(MAX_EVENTS);
const rowAmount = new Float64Array(MAX_EVENTS);
const rowProduct: (string | null)[] = new Array<string | null>(MAX_EVENTS).fill(null);
const rowChannel = new Int8Array(MAX_EVENTS);
/** 1 when the amount may move to match the balances (see balanceMonth), else 0. */
const rowFlexible = new Uint8Array(MAX_EVENTS);
/** The amount as first drawn or planned: the limits of balanceMonth are multiples of it. */
const rowDrawn = new Float64Array(MAX_EVENTS);

/**
 * Money that enters or leaves the customer's assets (AUM = deposits + wealth). Purchases and redemptions of
 * wealth products and funds move money inside the AUM and count in neither.
 */
const EXTERNAL_IN: readonly boolean[] = TYPES.map((t) => t === 'transfer_in' || t === 'cash_deposit' || t === 'salary' || t === 'interest');
const EXTERNAL_OUT: readonly boolean[] = TYPES.map((t) => t === 'consume' || t === 'transfer_out' || t === 'withdraw' || t === 'bill_pay' || t === 'fee' || t === 'loan_repay' || t === 'insurance_pay' || t === 'auto_debit');
/**
 * Money a month's own transactions could not carry (a quiet customer's salary, a mortgage paid from money
 * brought in) is booked as a posting once it reaches this much: a standing order (代扣) out, a transfer from
 * elsewhere (转账汇入) in. Both are postings, not the customer's doing, so no activity measure changes.
 */
const POSTING_MIN = 2_000;
/** Everyday amounts (a purchase, a bill, cash) grow at most this much to carry a month's money; transfers take the rest. */
const EVERYDAY_MAX_SCALE = 4;
/** Flows shrink at most to this share of the amount drawn. */
const MIN_SCALE = 0.2;

const isWealth = (h: Holding) => h.product.category === 'wealth' || h.product.category === 'precious_metal';
const isFund = (h: Holding) => h.product.category === 'fund' || h.product.id === 'YL002';
const openOn = (h: Holding, day: number) => h.openDay <= day && (h.closeDay < 0 || h.closeDay > day);

function roundTo(x: number, step: number): number {
  return Math.max(step, Math.round(x / step) * step);
}

export function transactionLines(
  seed: number,
  p: CustomerProfile,
  plan: CustomerPlan,
  calendar: Calendar,
  txPerYear: number,
  ids: TransactionIds,
  out: string[],
): void {
  const random = streamRandom(seed, 'transactions', p.index);
  const thin = Math.min(1, txPerYear / 60);
  const wealthHoldings = plan.holdings.filter(isWealth);
  const fundHoldings = plan.holdings.filter(isFund);
  const loans = plan.holdings.filter((h) => h.instalment > 0 && h.product.category !== 'insurance');
  const payroll = plan.holdings.find((h) => h.product.category === 'payroll') ?? null;
  const payday = 5 + (p.index % 11);

  // The customer's own mix of active transaction types.
  const d = p.digital;
  const mix = new Float64Array(ACTIVE_TYPES);
  mix[T.consume] = 38 * (0.6 + 0.6 * d);
  mix[T.transfer_out] = 13;
  mix[T.transfer_in] = 11;
  mix[T.withdraw] = 4 + 10 * (1 - d);
  mix[T.cash_deposit] = 1.5 + 3 * (1 - d) + (p.sme ? 6 : 0);
  mix[T.bill_pay] = 7;
  mix[T.fee] = 0.6;
  mix[T.wealth_buy] = wealthHoldings.length ? 1.2 : 0;
  mix[T.wealth_redeem] = wealthHoldings.length ? 1 : 0;
  mix[T.fund_buy] = fundHoldings.length ? 1.5 : 0;
  let mixTotal = 0;
  for (let i = 0; i < ACTIVE_TYPES; i++) mix[i] = mixTotal += mix[i] as number;

  const scheduledPerYear = (4 + (payroll || plan.pensionCredit ? 12 : 0) + 12 * loans.length) * thin;
  const activePerMonth = Math.max(txPerYear * 0.1, txPerYear * p.activity * RATE_CALIBRATION - scheduledPerYear) / 12;
  const scale = Math.max(0.35, Math.min(3, Math.sqrt(p.income / 100_000)));
  const channels = CHANNEL_CDF[Math.round(d * (DIGITAL_BUCKETS - 1))] as (Float64Array | null)[];
  const endDay = calendar.endDay;
  const lastDay = plan.closedDay >= 0 ? plan.closedDay : endDay;
  const flows = plan.flows;
  const mobileBanking = plan.holdings.filter((h) => h.product.category === 'mobile_banking');
  const hasMobileBanking = (day: number) => mobileBanking.some((h) => openOn(h, day));
  const openedInWindow = calendar.windowMonthOfDay(p.openDay) >= 0;
  /** Money the flows of past months could not match, still to be matched (see balanceMonth). */
  let carry = 0;
  // Events of the month being built; `add` is made once per customer, not per month (closures cost).
  let n = 0;
  let monthStart = 0;
  const firstDay = p.openDay;
  const add = (day: number, type: number, amount: number, productId: string | null) => {
    if (n >= MAX_EVENTS || day < firstDay || day > lastDay) return;
    evType[n] = type;
    evAmount[n] = amount;
    evProduct[n] = productId;
    evKey[n] = (day - monthStart) * MAX_EVENTS + n;
    n++;
  };

  for (let m = plan.firstMonth; m < calendar.months; m++) {
    const start = calendar.firstDay(m);
    const days = calendar.daysIn(m);
    const monthEnd = start + days - 1;
    if (start > lastDay) break;
    const cm = calendarMonth(calendar.startMonth + m);
    n = 0;
    monthStart = start;

    // Customer-initiated transactions.
    const activeFrom = Math.max(start, p.openDay);
    const activeTo = Math.min(monthEnd, plan.activeUntilDay);
    if (activeTo >= activeFrom) {
      const count = random.poisson(activePerMonth * (plan.activity[m] as number) * (TX_SEASON[cm] as number));
      const span = activeTo - activeFrom + 1;
      for (let k = 0; k < count; k++) {
        const r = random.next() * mixTotal;
        let type = 0;
        while (type < ACTIVE_TYPES - 1 && r >= (mix[type] as number)) type++;
        add(activeFrom + random.int(span), type, Number.NaN, null);
      }
    }

    // Postings on a schedule, thinned together with the rate when txPerYear is small.
    if (QUARTER_END.has(cm) && random.next() < thin) {
      const interest = ((plan.deposit[m] as number) * DEMAND_RATE) / 4;
      if (interest >= 0.01) add(start + 20, T.interest, interest, 'HQ001');
    }
    if (payroll && openOn(payroll, start + payday - 1) && random.next() < thin) {
      add(start + payday - 1, T.salary, ((p.income * 0.78) / 12) * (1 + random.normal(0, 0.02)), payroll.product.id);
      if (cm === 1 && random.next() < 0.5) add(start + 19, T.salary, p.income * random.uniform(0.04, 0.15), payroll.product.id);
    } else if (plan.pensionCredit && random.next() < thin) {
      // A customer who stopped using the bank had his pension paid elsewhere from then on.
      const amount = (p.income / 12) * (1 + random.normal(0, 0.01));
      if (start + 14 <= plan.activeUntilDay) add(start + 14, T.salary, amount, null);
    }
    for (const loan of loans) {
      const day = start + Math.min(27, splitDay(loan.openDay)[2] - 1);
      if (day > loan.openDay && openOn(loan, day) && random.next() < thin) add(day, T.loan_repay, loan.instalment, loan.product.id);
    }
    for (const f of flows) if (f.day >= start && f.day <= monthEnd) add(f.day, T[f.type], f.amount, f.productId);

    if (n === 0) {
      carry += monthChange(plan, openedInWindow, m);
      continue;
    }
    const keys = evKey.subarray(0, n).sort();
    for (let k = 0; k < n; k++) {
      const key = keys[k] as number;
      const e = key % MAX_EVENTS;
      const day = start + Math.floor(key / MAX_EVENTS);
      let type = evType[e] as number;
      let amount = evAmount[e] as number;
      let productId = evProduct[e] ?? null;
      const drawn = amount !== amount;
      if (drawn) {
        // Draw the amount (and the product) of a customer-initiated transaction.
        switch (TYPES[type]) {
          case 'consume':
            amount = random.logNormal(Math.log(110 * scale), 1.0);
            break;
          case 'transfer_out':
          case 'transfer_in':
            amount = random.logNormal(Math.log(1500 * scale), 1.1);
            break;
          case 'withdraw':
            amount = roundTo(random.logNormal(Math.log(600 * scale), 0.8), 100);
            break;
          case 'cash_deposit':
            amount = roundTo(random.logNormal(Math.log(2500 * scale * (p.sme ? 3 : 1)), 0.9), 100);
            break;
          case 'bill_pay':
            amount = random.logNormal(Math.log(160), 0.8);
            break;
          case 'fee':
            amount = random.pick([2, 5, 10, 20]);
            break;
          default: {
            const pool = type === T.fund_buy ? fundHoldings : wealthHoldings;
            const held = pool.filter((h) => openOn(h, day));
            if (!held.length) {
              type = type === T.wealth_redeem ? T.transfer_in : T.transfer_out;
              amount = random.logNormal(Math.log(1500 * scale), 1.1);
              break;
            }
            const h = random.pick(held);
            productId = h.product.id;
            const size = Math.max(h.product.minAmount, (plan.aum[m] as number) * 0.08);
            amount = type === T.fund_buy ? roundTo(random.logNormal(Math.log(Math.min(size, 2000 * scale)), 0.6), 100) : roundTo(random.logNormal(Math.log(size), 0.4), 1000);
            if (amount < h.product.minAmount && type !== T.wealth_redeem) amount = Math.max(h.product.minAmount, 10);
          }
        }
      }
      // Large one-off transfers go through the counter or the apps, never an ATM: they use the
      // channel table of wealth purchases.
      const large = amount >= 50_000 && (type === T.transfer_out || type === T.transfer_in);
      rowDay[k] = day;
      rowType[k] = type;
      rowAmount[k] = amount;
      rowDrawn[k] = amount;
      rowProduct[k] = productId;
      rowChannel[k] = pickChannel(channels[large ? T.wealth_buy : type] ?? null, random, hasMobileBanking(day));
      // Transfers are flexible even when the plan set them (money leaving in a decay, arriving in growth):
      // their amounts are the plan's estimate of the step, and a month's salary may leave with them.
      rowFlexible[k] = type === T.transfer_out || type === T.transfer_in || (drawn && (type === T.consume || type === T.withdraw || type === T.bill_pay || type === T.cash_deposit)) ? 1 : 0;
    }
    carry = balanceMonth(n, monthChange(plan, openedInWindow, m) + carry);
    if (Math.abs(carry) >= POSTING_MIN && n < MAX_EVENTS) {
      // After every other row of the month (rows end on or before both days).
      rowDay[n] = Math.min(monthEnd, lastDay);
      rowType[n] = carry < 0 ? T.auto_debit : T.transfer_in;
      rowAmount[n] = Math.round(Math.abs(carry) * 100) / 100;
      rowProduct[n] = null;
      rowChannel[n] = NO_CHANNEL;
      n++;
      carry = 0;
    }
    for (let k = 0; k < n; k++) {
      const type = rowType[k] as number;
      const amount = rowAmount[k] as number;
      let channel = rowChannel[k] as number;
      // An amount grown to carry the month's money moves through the counter or the app, not an ATM or POS.
      if (amount >= 50_000 && (channel === ATM || channel === POS)) channel = hasMobileBanking(rowDay[k] as number) ? MOBILE : COUNTER;
      out.push(`${ids.take()},${p.id},${calendar.date(rowDay[k] as number)},${channel === NO_CHANNEL ? '' : CHANNEL_LABEL[channel]},${TYPE_LABEL[type]},${money(amount)},${DIRECTION_LABEL[type]},${rowProduct[k] ?? ''}`);
    }
  }
}

/**
 * The change of the month's average AUM that the month's flows should explain: from the previous month, or
 * from nothing in the month the account opened (an account older than the window: no change known).
 */
function monthChange(plan: CustomerPlan, openedInWindow: boolean, m: number): number {
  if (m > plan.firstMonth) return (plan.aum[m] as number) - (plan.aum[m - 1] as number);
  return openedInWindow ? (plan.aum[m] as number) : 0;
}

/**
 * Makes the money of one month's rows (0..n−1) add up to `target`, the change of the customer's assets
 * (issue #14: salary credits that never left the account while the assets stayed flat). The amounts the
 * customer chose move, never the count, date, type or the postings: everyday ones by at most
 * EVERYDAY_MAX_SCALE, transfers by whatever remains, and flows in the other direction shrink down to
 * MIN_SCALE. Returns what could not be matched, carried into the next month's target so that a year of
 * flows follows a year of balances.
 */
function balanceMonth(n: number, target: number): number {
  let net = 0;
  for (let k = 0; k < n; k++) {
    const type = rowType[k] as number;
    if (EXTERNAL_IN[type]) net += rowAmount[k] as number;
    else if (EXTERNAL_OUT[type]) net -= rowAmount[k] as number;
  }
  const surplus = net - target;
  if (Math.abs(surplus) < 1) return 0;
  // Too much money came in: spend more, then receive less. Too little: receive more, then spend less.
  const grow = surplus > 0 ? EXTERNAL_OUT : EXTERNAL_IN;
  const shrink = surplus > 0 ? EXTERNAL_IN : EXTERNAL_OUT;
  const transfer = surplus > 0 ? T.transfer_out : T.transfer_in;
  let left = Math.abs(surplus);
  left = scaleRows(n, (type) => !!grow[type], left, 1, (type) => (type === transfer ? Number.POSITIVE_INFINITY : EVERYDAY_MAX_SCALE));
  left = scaleRows(n, (type) => !!shrink[type], left, -1, () => MIN_SCALE);
  // What remains unmatched is owed by the next month: money still in surplus lowers its target.
  return surplus > 0 ? -left : left;
}

/**
 * Moves up to `amount` of money through the flexible rows of the chosen types, in proportion to their
 * amounts: `direction` 1 grows them (each up to its limit × the amount drawn), −1 shrinks them (each down to
 * its limit × the amount drawn). Returns what remains to move.
 */
function scaleRows(n: number, chosen: (type: number) => boolean, amount: number, direction: 1 | -1, limit: (type: number) => number): number {
  let left = amount;
  // Two passes: rows that hit their limit leave the rest to the others (transfers have none when growing).
  for (let pass = 0; pass < 2 && left >= 1; pass++) {
    let base = 0;
    for (let k = 0; k < n; k++) if (rowFlexible[k] && chosen(rowType[k] as number)) base += rowAmount[k] as number;
    if (base <= 0) return left;
    const factor = left / base;
    for (let k = 0; k < n; k++) {
      const type = rowType[k] as number;
      if (!rowFlexible[k] || !chosen(type)) continue;
      const before = rowAmount[k] as number;
      const bound = (rowDrawn[k] as number) * limit(type);
      let after = direction > 0 ? Math.min(bound, before * (1 + factor)) : Math.max(bound, before * (1 - factor));
      // Cash moves in hundreds, everything else to the fen.
      after = type === T.withdraw || type === T.cash_deposit ? Math.max(100, Math.round(after / 100) * 100) : Math.max(0.01, Math.round(after * 100) / 100);
      rowAmount[k] = after;
      left -= Math.abs(after - before);
    }
  }
  return Math.max(0, left);
}

// --- interactions ------------------------------------------------------------------------------------

export interface CommunityEvent {
  readonly day: number;
  readonly theme: string;
}

/** Each community's activity calendar: roughly one event every six weeks, from a per-community stream. */
export function communityEvents(seed: number, calendar: Calendar): CommunityEvent[][] {
  return COMMUNITIES.map((c, i) => {
    const random = streamRandom(seed, 'events', i);
    const events: CommunityEvent[] = [];
    for (let day = calendar.startDay + random.int(30); day <= calendar.endDay; day += 30 + random.int(30)) {
      events.push({ day, theme: random.pick(c.events) });
    }
    return events;
  });
}

const ELDERLY_THEMES = /养老|敬老|反诈|社保|健康/;
const FAMILY_THEMES = /亲子|教育|家庭|业主/;
const VISIT_OUTCOMES = ['办理存取款', '咨询理财产品', '更新证件信息', '办理社保卡', '开通手机银行', '挂失补卡', '咨询贷款业务', '打印流水'];
const CALL_OUTCOMES = ['已接通，客户有意向', '已接通，暂无需求', '未接通', '已预约到店', '客户拒绝'];
const COMPLAINT_TOPICS = ['排队等候时间长', '理财收益不及预期', '手机银行转账失败', '收费不合理', '服务态度差', '信用卡年费争议', '大额取现需预约'];
const COMPLAINT_RESULTS = ['已处理', '已解释', '处理中', '客户不满意'];

export function interactionLines(
  seed: number,
  p: CustomerProfile,
  plan: CustomerPlan,
  calendar: Calendar,
  events: readonly CommunityEvent[],
  out: string[],
): void {
  const random = streamRandom(seed, 'interactions', p.index);
  const from = Math.max(calendar.startDay, p.openDay);
  const to = plan.closedDay >= 0 ? plan.closedDay : calendar.endDay;
  if (to < from) return;
  const span = to - from + 1;
  const years = span / 365.25;
  const rows: { day: number; channel: string; kind: string; outcome: string; score: string }[] = [];
  const push = (day: number, channel: string, kind: string, outcome: string, score = '') => {
    if (day < from || day > to) return;
    // The key is (customer, date, channel, kind): one such contact a day. A customer has a handful of
    // rows, so a scan beats hashing.
    for (const r of rows) if (r.day === day && r.channel === channel && r.kind === kind) return;
    rows.push({ day, channel, kind, outcome, score });
  };
  const randomDay = () => from + random.int(span);

  let peak = 0;
  for (let m = plan.firstMonth; m < calendar.months; m++) peak = Math.max(peak, plan.aum[m] as number);
  const callRate = (peak < TIER_BOUNDS.affluent ? 0.12 : peak < TIER_BOUNDS.wealth ? 0.8 : peak < TIER_BOUNDS.private ? 3 : 6) * (p.doNotContact ? 0.2 : 1);
  const calls = random.poisson(callRate * years);
  for (let k = 0; k < calls; k++) {
    const day = randomDay();
    if (plan.decayStart >= 0 && day > plan.activeUntilDay) continue;
    push(day, p.digital > 0.6 && random.bernoulli(0.35) ? '企业微信' : '电话', '电话联系', random.pick(CALL_OUTCOMES));
  }
  const visits = plan.scenario === 'sleeper' ? 0 : random.poisson((0.15 + 1.6 * (1 - p.digital)) * years);
  for (let k = 0; k < visits; k++) {
    const day = randomDay();
    if (day <= plan.activeUntilDay) push(day, '柜面', '到访', random.pick(VISIT_OUTCOMES));
  }
  const engaged = p.engagement > 0.5 ? 2 : p.engagement < -0.5 ? 0.4 : 1;
  for (const e of events) {
    if (e.day < from || e.day > Math.min(to, plan.activeUntilDay)) continue;
    const fit = ELDERLY_THEMES.test(e.theme) ? (p.age >= 55 ? 3 : 0.5) : FAMILY_THEMES.test(e.theme) ? (p.age >= 28 && p.age <= 45 ? 2.5 : 0.4) : 1;
    if (random.bernoulli(Math.min(0.6, 0.03 * fit * engaged))) push(e.day, '上门', '活动', `${e.theme}，已参加`);
  }

  // Complaints: the decay's precursor when the plan has one, plus a background rate for everybody.
  const complaints: number[] = [];
  if (plan.complaintDay >= 0) complaints.push(plan.complaintDay);
  const background = random.poisson(0.025 * years * (p.age >= 60 ? 1.4 : 1));
  for (let k = 0; k < background; k++) complaints.push(randomDay());
  for (const day of complaints) {
    const angry = day === plan.complaintDay;
    const result = angry && random.bernoulli(0.5) ? '客户不满意' : random.pick(COMPLAINT_RESULTS);
    push(day, random.bernoulli(0.7) ? '电话' : '柜面', '投诉', `${random.pick(COMPLAINT_TOPICS)}：${result}`);
    const followUp = day + 3 + random.int(15);
    push(followUp, '电话', '电话联系', '投诉回访');
    if (random.bernoulli(0.6)) push(followUp + 1 + random.int(10), '电话', '满意度调查', '已完成', String(angry ? random.intBetween(1, 3) : random.intBetween(2, 4)));
  }
  if (random.bernoulli(Math.min(0.9, 0.2 * years))) {
    const day = randomDay();
    const unhappy = plan.decayStart >= 0 && calendar.windowMonthOfDay(day) >= plan.decayStart - plan.decayLead;
    const score = unhappy ? random.weightedPick([1, 2, 3, 4], [2, 3, 3, 1]) : random.weightedPick([1, 2, 3, 4, 5], [1, 2, 8, 30, 59]);
    // A survey in the app only reaches a customer who has the app.
    const inApp = random.bernoulli(p.digital) && plan.holdings.some((h) => h.product.category === 'mobile_banking' && openOn(h, day));
    push(day, inApp ? '手机银行' : '电话', '满意度调查', '已完成', String(score));
  }
  if (plan.closedDay >= 0) push(plan.closedDay, '柜面', '到访', '办理销户');

  rows.sort((a, b) => a.day - b.day);
  for (const r of rows) out.push(`${p.id},${calendar.date(r.day)},${r.channel},${r.kind},${csvText(r.outcome)},${r.score}`);
}

// --- campaign responses ------------------------------------------------------------------------------

const OUTCOME_LABEL: Readonly<Record<CampaignOutcome, string>> = { contacted: '已触达', responded: '有响应', converted: '已成交' };

export function campaignLines(p: CustomerProfile, plan: CustomerPlan, calendar: Calendar, out: string[]): void {
  for (const c of plan.campaigns) {
    out.push(`${c.campaignId},${p.id},${calendar.date(c.day)},${OUTCOME_LABEL[c.outcome]},${c.amount === null ? '' : money(c.amount)}`);
  }
}
