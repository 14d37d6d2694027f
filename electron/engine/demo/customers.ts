import type { Random } from '../../../shared/random';
import { type Calendar, dayOf, splitDay, yearsBetween } from './calendar';
import { chineseName, idNumber, mobileNumber } from './identity';
import {
  AGE_BANDS,
  COMMUNITIES,
  EDUCATION_LEVELS,
  INCOME_BANDS,
  OCCUPATIONS,
  type CommunityDef,
  type Occupation,
  managersOf,
} from './reference-data';
import { streamRandom } from './seeds';

/**
 * One customer's master data plus the latent traits the rest of the generator keys off. Everything here
 * comes from the customer's own 'profile' stream, so the customer table depends on the seed and the
 * customer number only.
 */
export interface CustomerProfile {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly male: boolean;
  readonly birthDay: number;
  /** Age in whole years on the last day of the window. */
  readonly age: number;
  readonly idNumber: string;
  readonly mobile: string;
  readonly occupation: Occupation;
  /** Index into EDUCATION_LEVELS. */
  readonly education: number;
  readonly marital: string;
  /** Annual income in 元. */
  readonly income: number;
  /** Index into INCOME_BANDS. */
  readonly incomeBand: number;
  readonly sme: boolean;
  readonly community: number;
  readonly managerId: string;
  readonly openDay: number;
  /** 1..5 for C1..C5; 0 if the customer never took the risk questionnaire. */
  readonly risk: number;
  /** -1 if never assessed. */
  readonly riskAssessedDay: number;
  readonly consent: boolean;
  readonly doNotContact: boolean;
  readonly migrant: boolean;
  /** AUM the customer keeps with this bank at the window's end, before any life event (decay, growth…). */
  readonly wealth: number;
  /** Transaction-rate multiplier, mean about 1. */
  readonly activity: number;
  /** 0..1 preference for mobile and online channels over the counter and ATM. */
  readonly digital: number;
  /** Roughly standard normal; low means a loose relationship that is likely to drift away. */
  readonly engagement: number;
  /** The bank is not the customer's main bank: small balances, few transactions. */
  readonly secondary: boolean;
}

const COMMUNITY_WEIGHTS = COMMUNITIES.map((c) => c.weight);

const BASE_OCCUPATION_WEIGHTS: Readonly<Partial<Record<Occupation, number>>> = {
  企业职员: 30,
  '公务员/事业单位': 7,
  教师: 4,
  医护人员: 4,
  个体经营: 11,
  工人: 19,
  自由职业: 10,
  农民: 2,
  无业: 4,
};

const WORKING: readonly Occupation[] = OCCUPATIONS.filter((o) => o !== '学生' && o !== '退休人员');
const LATE_WORKING: readonly Occupation[] = ['个体经营', '农民', '自由职业', '无业'];

/** Median annual income (元) and its log-spread per occupation. */
const INCOME: Readonly<Record<Occupation, readonly [number, number]>> = {
  学生: [9_000, 0.6],
  企业职员: [105_000, 0.5],
  '公务员/事业单位': [135_000, 0.35],
  教师: [125_000, 0.35],
  医护人员: [140_000, 0.45],
  个体经营: [130_000, 0.9],
  工人: [68_000, 0.35],
  自由职业: [78_000, 0.8],
  退休人员: [46_000, 0.45],
  农民: [38_000, 0.5],
  无业: [16_000, 0.8],
};

const EDUCATION_BASE: Readonly<Record<Occupation, number>> = {
  学生: 3.1,
  企业职员: 2.9,
  '公务员/事业单位': 3.4,
  教师: 3.5,
  医护人员: 3.1,
  个体经营: 1.6,
  工人: 1.0,
  自由职业: 2.0,
  退休人员: 1.1,
  农民: 0.4,
  无业: 1.2,
};

/** Piecewise-linear interpolation over [x, y] knots. */
function interpolate(knots: readonly (readonly [number, number])[], x: number): number {
  const first = knots[0] as readonly [number, number];
  if (x <= first[0]) return first[1];
  for (let i = 1; i < knots.length; i++) {
    const [x1, y1] = knots[i] as readonly [number, number];
    const [x0, y0] = knots[i - 1] as readonly [number, number];
    if (x <= x1) return y0 + ((y1 - y0) * (x - x0)) / (x1 - x0);
  }
  return (knots[knots.length - 1] as readonly [number, number])[1];
}

const INCOME_BY_AGE: readonly (readonly [number, number])[] = [[20, 0.6], [25, 0.8], [30, 0.95], [38, 1.05], [48, 1.12], [58, 1.0]];
/** Assets at the bank grow with age: savings accumulate, and China's retirees hold the big deposits. */
const WEALTH_BY_AGE: readonly (readonly [number, number])[] = [[18, -1.3], [25, -0.6], [35, 0], [45, 0.55], [55, 0.95], [65, 1.25], [78, 1.25], [90, 1.0]];

function pickOccupation(random: Random, age: number, male: boolean, community: CommunityDef): Occupation {
  const studentShare = age <= 22 ? (community.kind === '大学城' ? 0.9 : 0.7) : age <= 25 ? (community.kind === '大学城' ? 0.4 : 0.1) : 0;
  if (random.bernoulli(studentShare)) return '学生';
  // Statutory retirement: 60 for men, 55 (cadres) or 50 (workers) for women.
  const retired = age >= 65 ? 0.97 : age >= 60 ? 0.88 : !male && age >= 55 ? 0.6 : !male && age >= 50 ? 0.18 : male && age >= 55 ? 0.12 : 0;
  if (random.bernoulli(retired)) return '退休人员';
  // Past retirement age only the self-employed, farmers and odd jobs remain.
  const pool = age >= 60 ? LATE_WORKING : WORKING;
  const weights = pool.map((o) => {
    let w = (BASE_OCCUPATION_WEIGHTS[o] ?? 0) * (community.occupationBoost[o] ?? 1);
    if (age < 25 && (o === '公务员/事业单位' || o === '个体经营')) w *= 0.4;
    if (age >= 50 && o === '企业职员') w *= 0.6;
    if (age >= 50 && (o === '工人' || o === '农民')) w *= 1.4;
    return w;
  });
  return random.weightedPick(pool, weights);
}

function pickMarital(random: Random, age: number): string {
  // Legal marriage age is 22 for men and 20 for women.
  if (age < 22) return '未婚';
  if (age < 25) return random.bernoulli(0.88) ? '未婚' : '已婚';
  if (age < 30) return random.bernoulli(0.48) ? '未婚' : random.bernoulli(0.95) ? '已婚' : '离异';
  if (age < 60) return random.weightedPick(['已婚', '未婚', '离异', '丧偶'], [0.84, age < 40 ? 0.1 : 0.04, 0.08, age < 50 ? 0.005 : 0.03]);
  if (age < 75) return random.weightedPick(['已婚', '离异', '丧偶'], [0.8, 0.05, 0.15]);
  return random.weightedPick(['已婚', '离异', '丧偶'], [0.5, 0.03, 0.47]);
}

export function incomeBandOf(income: number): number {
  let band = 0;
  for (let i = 0; i < INCOME_BANDS.length; i++) if (income >= (INCOME_BANDS[i] as { from: number }).from) band = i;
  return band;
}

export function customerId(index: number): string {
  return `C${String(index + 1).padStart(8, '0')}`;
}

export function generateProfile(seed: number, index: number, calendar: Calendar): CustomerProfile {
  const random = streamRandom(seed, 'profile', index);
  const endDay = calendar.endDay;
  const communityIndex = random.weightedIndex(COMMUNITY_WEIGHTS);
  const community = COMMUNITIES[communityIndex] as CommunityDef;

  const band = AGE_BANDS[random.weightedIndex(community.ageWeights)] as readonly [number, number];
  const ageYears = random.intBetween(band[0], band[1]);
  const birthDay = endDay - Math.floor((ageYears + random.next()) * 365.2425);
  const age = yearsBetween(birthDay, endDay);
  const male = random.bernoulli(age >= 75 ? 0.43 : community.kind.startsWith('城中村') ? 0.56 : 0.49);
  const migrant = random.bernoulli(age >= 65 ? community.migrantShare * 0.3 : community.migrantShare);
  const [birthYear] = splitDay(birthDay);

  const occupation = pickOccupation(random, age, male, community);
  const [median, spread] = INCOME[occupation];
  const ageFactor = occupation === '退休人员' || occupation === '学生' ? 1 : interpolate(INCOME_BY_AGE, age);
  const income = Math.round(median * ageFactor * community.incomeMult * random.logNormal(0, spread));
  const incomeBand = incomeBandOf(income);

  const educationScore = EDUCATION_BASE[occupation] + (age < 35 ? 0.35 : age > 70 ? -0.9 : age > 55 ? -0.5 : 0) + random.normal(0, 0.6);
  const education = Math.max(0, Math.min(EDUCATION_LEVELS.length - 1, Math.floor(educationScore)));
  const marital = pickMarital(random, age);

  const smeShare: Partial<Record<Occupation, number>> = { 个体经营: 0.62, 自由职业: 0.12, 企业职员: 0.025, 农民: 0.05 };
  const sme = random.bernoulli(smeShare[occupation] ?? 0);

  // Tenure: a few customers are new (the last six months), most have banked here for years.
  const tenureDraw = random.next();
  let openDay: number;
  if (tenureDraw < 0.06) openDay = endDay - random.int(182);
  else if (tenureDraw < 0.14) openDay = endDay - 182 - random.int(548);
  else openDay = endDay - Math.floor((2 + 18 * Math.pow(random.next(), 1.25)) * 365.2425);
  const adult = birthDay + Math.floor(18 * 365.2425);
  if (openDay < adult) openDay = Math.min(endDay, adult + random.int(900));

  // Secondary-bank customers keep pocket money here; their main relationship is elsewhere.
  const secondary = random.bernoulli(age < 25 ? 0.5 : 0.33);
  let logWealth =
    Math.log(Math.max(income, 6000) * 0.3) +
    interpolate(WEALTH_BY_AGE, age) +
    Math.log(community.wealthMult) +
    (sme ? 0.6 : 0) +
    (education >= 3 ? 0.15 : 0) +
    random.normal(-0.5, 1.3) +
    // A thin tail of business owners and heirs with fortunes far beyond their income.
    (random.bernoulli(0.036) ? random.uniform(2.2, 4.2) : 0);
  if (secondary) logWealth -= random.uniform(1.6, 3.0);
  const wealth = Math.max(5, Math.exp(logWealth));

  const tenureYears = (endDay - openDay) / 365.2425;
  const engagement = random.normal(0, 1) + (tenureYears > 8 ? 0.3 : 0) - (secondary ? 0.5 : 0) - (tenureYears < 2 ? 0.2 : 0);
  const activity =
    random.logNormal(-0.18, 0.6) *
    (age < 23 ? 0.8 : age < 50 ? 1.12 : age < 65 ? 0.95 : 0.7) *
    (secondary ? 0.5 : 1.15) *
    (sme ? 1.4 : 1);
  const digital = Math.max(0.03, Math.min(0.97, 1.02 - 0.0145 * (age - 22) + 0.04 * (education - 2) + random.normal(0, 0.1)));

  // Risk appetite (C1..C5): falls with age, rises with income, education and assets.
  const riskScore =
    2.75 - 0.042 * (age - 40) + 0.4 * Math.log(income / 100_000) + 0.12 * (education - 2) + 0.12 * Math.log(wealth / 100_000) + random.normal(0, 0.7);
  const assessed = random.bernoulli(wealth >= 30_000 ? 0.95 : 0.75);
  const risk = assessed ? Math.max(1, Math.min(5, Math.round(riskScore))) : 0;
  let riskAssessedDay = -1;
  if (risk > 0) {
    // Investors re-take the questionnaire to buy; many others let it lapse past 12 months.
    const recent = random.bernoulli(wealth >= 50_000 ? 0.7 : 0.35);
    riskAssessedDay = endDay - (recent ? random.int(350) : 366 + random.int(1100));
    if (riskAssessedDay < openDay) riskAssessedDay = Math.min(endDay, openDay + random.int(20));
  }

  let managerId: string;
  if (wealth >= 500_000) managerId = community.managerId === 'RM001' && random.bernoulli(0.6) ? 'RM001' : random.pick(managersOf('财富管理团队')).id;
  else if (sme) managerId = random.pick(managersOf('小微金融团队')).id;
  else managerId = random.bernoulli(0.65) ? community.managerId : random.pick(managersOf('综合服务团队')).id;

  const name = chineseName(random, male, birthYear);
  const id = idNumber(random, birthDay, male, migrant);
  const mobile = mobileNumber(random);
  const consent = random.bernoulli(age >= 70 ? 0.66 : 0.8);
  const doNotContact = random.bernoulli(0.03);

  return {
    index,
    id: customerId(index),
    name,
    male,
    birthDay,
    age,
    idNumber: id,
    mobile,
    occupation,
    education,
    marital,
    income,
    incomeBand,
    sme,
    community: communityIndex,
    managerId,
    openDay,
    risk,
    riskAssessedDay,
    consent,
    doNotContact,
    migrant,
    wealth,
    activity,
    digital,
    engagement,
    secondary,
  };
}

/** The day a person turns `years`, for age-limited products. */
export function birthdayAt(profile: CustomerProfile, years: number): number {
  const [y, m, d] = splitDay(profile.birthDay);
  return dayOf(y + years, m, m === 2 && d === 29 ? 28 : d);
}
