import type { Random } from '../../../shared/random';
import { splitDay } from './calendar';

/**
 * Fake but plausible personal identifiers. Names follow the real surname frequencies and the fashions of
 * each generation (a 建国 born in 1950, a 子轩 born in 2000); ID numbers have a real area-code shape, the
 * holder's birth date, the gender parity digit and a valid GB 11643 check digit, so masking and validation
 * code sees what it will see in production. None of them belongs to anybody on purpose.
 */

// Surnames with approximate shares (per cent) of the population.
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严'.split('');
const SURNAME_SHARES = [
  7.1, 7.0, 6.7, 5.4, 4.6, 3.1, 2.2, 2.0, 2.0, 1.9, 1.5, 1.5, 1.3, 1.3, 1.2, 1.1, 1.1, 1.0, 1.0, 0.9, 0.9, 0.8, 0.7, 0.7,
  0.7, 0.6, 0.6, 0.6, 0.6, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.3, 0.3, 0.3, 0.3,
  0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2,
  0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2,
];
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方'];
const SURNAME_CDF = cumulative(SURNAME_SHARES);

// Given names by birth cohort and gender: [male, female].
const GIVEN: readonly (readonly [number, readonly string[], readonly string[]])[] = [
  [
    1960,
    '建国 建华 国强 国庆 志强 德明 振华 卫东 福生 永康 建军 树林 长林 宝山 金山 德胜 春生 文斌 明 军 华 林 平 刚 勇 忠 强 福 海'.split(' '),
    '秀英 桂英 秀兰 玉兰 桂兰 凤英 秀珍 淑珍 玉珍 淑英 素珍 玉梅 秀云 兰英 美华 淑芬 桂芳 秀芳 凤兰 玉华 英 兰 珍 芳 梅 华'.split(' '),
  ],
  [
    1980,
    '伟 勇 军 斌 涛 强 磊 建平 志刚 海涛 立新 晓东 卫国 红兵 永刚 建明 国华 春雷 小军 东 波 辉 锋 杰 峰 明华 建林'.split(' '),
    '丽 红 霞 燕 静 敏 艳 丽华 红梅 春梅 晓燕 海燕 丽娟 秀梅 雪梅 晓红 玲 娟 萍 芳 丽萍 美玲 慧 琴 红霞'.split(' '),
  ],
  [
    1995,
    '鹏 磊 超 浩 杰 俊杰 鹏飞 文博 晓明 志伟 宇 凯 帅 亮 阳 晨 俊 鑫 健 家豪 子豪 博 鹏程 振宇 一帆 立伟'.split(' '),
    '婷 静 丹 娜 倩 颖 婷婷 晓丽 雪 佳 丽娜 倩倩 文静 琳 洁 璐 莹 佳琪 思思 晶晶 欣 蕾 梦 雅琴 慧敏 萌'.split(' '),
  ],
  [
    9999,
    '浩然 子轩 宇轩 俊熙 梓豪 一鸣 宇航 浩宇 天佑 皓轩 博文 思远 子墨 宇泽 铭轩 俊宇 嘉懿 子睿 明哲 奕辰 家乐 睿'.split(' '),
    '欣怡 梓涵 诗涵 子涵 雨萱 一诺 可馨 思琪 梦琪 语桐 佳怡 雨涵 若曦 欣妍 紫萱 诗琪 梓萱 沐晨 安琪 雨桐 悦 彤'.split(' '),
  ],
];

function cumulative(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) out[i] = sum += weights[i] as number;
  return out;
}

function pickCumulative(cdf: Float64Array, random: Random): number {
  const r = random.next() * (cdf[cdf.length - 1] as number);
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cdf[mid] as number) > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function chineseName(random: Random, male: boolean, birthYear: number): string {
  const surname = random.bernoulli(0.004) ? random.pick(COMPOUND_SURNAMES) : (SURNAMES[pickCumulative(SURNAME_CDF, random)] as string);
  const cohort = GIVEN.find(([until]) => birthYear < until) ?? (GIVEN[GIVEN.length - 1] as (typeof GIVEN)[number]);
  // A neighbouring cohort's name now and then: fashions do not switch on a fixed year.
  const drift = random.next();
  const index = GIVEN.indexOf(cohort);
  const source = drift < 0.15 && index > 0 ? GIVEN[index - 1] : drift > 0.9 && index < GIVEN.length - 1 ? GIVEN[index + 1] : cohort;
  const pool = (male ? source?.[1] : source?.[2]) ?? cohort[1];
  return surname + random.pick(pool);
}

// Area codes (first six ID digits): the branch's own city, and the provinces its migrant workers come from.
const LOCAL_AREAS = ['330102', '330105', '330106', '330108', '330109', '330110', '330183', '330185'];
const MIGRANT_AREAS = [
  '341221', '342422', '411323', '412726', '413026', '511321', '510722', '430621', '431121', '360731', '362421',
  '452122', '522121', '370883', '320923', '421182', '330327', '332526',
];

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** An 18-digit resident ID number with a valid check digit. */
export function idNumber(random: Random, birthDay: number, male: boolean, migrant: boolean): string {
  const area = migrant ? random.pick(MIGRANT_AREAS) : random.pick(LOCAL_AREAS);
  const [y, m, d] = splitDay(birthDay);
  // Sequence digits 15-17; the 17th is odd for men and even for women.
  const seq = random.int(50) * 2 + (male ? 1 : 0);
  const body = `${area}${y}${m < 10 ? '0' : ''}${m}${d < 10 ? '0' : ''}${d}${random.int(10)}${seq < 10 ? '0' : ''}${seq}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (body.charCodeAt(i) - 48) * (ID_WEIGHTS[i] as number);
  return body + ID_CHECK[sum % 11];
}

const MOBILE_PREFIXES = [
  '138', '139', '137', '136', '135', '134', '150', '151', '152', '157', '158', '159', '182', '183', '187', '188', '130',
  '131', '132', '155', '156', '185', '186', '133', '153', '180', '181', '189', '177', '199', '166', '176', '173', '191',
];

export function mobileNumber(random: Random): string {
  const tail = random.int(100_000_000);
  return random.pick(MOBILE_PREFIXES) + String(tail).padStart(8, '0');
}
