import type { ProductCategory } from '../../../shared/dictionary';

/**
 * The fixed cast of the demo branch (示范支行): its communities, relationship managers and product shelf.
 * The numbers are invented but shaped on a mid-sized city branch: which communities are old or young, rich
 * or poor, and what the shelf holds after the 2018 asset-management rules (no more 保本理财 on sale).
 */

export const OCCUPATIONS = [
  '学生',
  '企业职员',
  '公务员/事业单位',
  '教师',
  '医护人员',
  '个体经营',
  '工人',
  '自由职业',
  '退休人员',
  '农民',
  '无业',
] as const;
export type Occupation = (typeof OCCUPATIONS)[number];

/** Occupations paid by an employer, so a payroll (代发) relationship is possible. */
export const SALARIED: ReadonlySet<Occupation> = new Set<Occupation>(['企业职员', '公务员/事业单位', '教师', '医护人员', '工人']);

/** Age bands the community age mixes are given over, inclusive. */
export const AGE_BANDS: readonly (readonly [number, number])[] = [
  [18, 22],
  [23, 29],
  [30, 39],
  [40, 49],
  [50, 59],
  [60, 69],
  [70, 79],
  [80, 90],
];

export type Team = '财富管理团队' | '社区金融团队' | '小微金融团队' | '综合服务团队';

export interface ManagerDef {
  readonly id: string;
  readonly name: string;
  readonly team: Team;
}

export const MANAGERS: readonly ManagerDef[] = [
  { id: 'RM001', name: '周文静', team: '财富管理团队' },
  { id: 'RM002', name: '陈思远', team: '财富管理团队' },
  { id: 'RM003', name: '林晓峰', team: '财富管理团队' },
  { id: 'RM004', name: '王雅婷', team: '财富管理团队' },
  { id: 'RM005', name: '赵明轩', team: '财富管理团队' },
  { id: 'RM006', name: '刘建华', team: '社区金融团队' },
  { id: 'RM007', name: '张丽娟', team: '社区金融团队' },
  { id: 'RM008', name: '黄志强', team: '社区金融团队' },
  { id: 'RM009', name: '吴海燕', team: '社区金融团队' },
  { id: 'RM010', name: '孙立新', team: '社区金融团队' },
  { id: 'RM011', name: '杨春梅', team: '社区金融团队' },
  { id: 'RM012', name: '郑伟', team: '社区金融团队' },
  { id: 'RM013', name: '马俊杰', team: '小微金融团队' },
  { id: 'RM014', name: '胡晓东', team: '小微金融团队' },
  { id: 'RM015', name: '高鹏飞', team: '小微金融团队' },
  { id: 'RM016', name: '何丽华', team: '小微金融团队' },
  { id: 'RM017', name: '罗婷婷', team: '综合服务团队' },
  { id: 'RM018', name: '梁超', team: '综合服务团队' },
  { id: 'RM019', name: '谢佳怡', team: '综合服务团队' },
  { id: 'RM020', name: '宋磊', team: '综合服务团队' },
];

export const managersOf = (team: Team): readonly ManagerDef[] => MANAGERS.filter((m) => m.team === team);

export interface CommunityDef {
  readonly id: string;
  readonly name: string;
  /** What kind of place it is; drives the demographics below and the community events. */
  readonly kind: string;
  /** The 二级网格 it belongs to: two neighbouring communities per grid, each grid assigned to one manager. */
  readonly gridId: string;
  readonly gridName: string;
  readonly gridManagerId: string;
  /** Centre of the community, for the grid map. */
  readonly longitude: number;
  readonly latitude: number;
  readonly district: string;
  readonly households: number;
  readonly population: number;
  readonly share60: number;
  readonly housePrice: number;
  readonly managerId: string;
  /** Relative share of the branch's customers living here. */
  readonly weight: number;
  /** Customer age mix over AGE_BANDS. */
  readonly ageWeights: readonly number[];
  readonly incomeMult: number;
  /** Multiplies assets held at the bank beyond what income explains (old savings, relocation compensation). */
  readonly wealthMult: number;
  /** Share of customers registered elsewhere (ID numbers from other provinces). */
  readonly migrantShare: number;
  readonly occupationBoost: Readonly<Partial<Record<Occupation, number>>>;
  readonly mortgageBoost: number;
  readonly payrollBoost: number;
  readonly events: readonly string[];
}

export const COMMUNITIES: readonly CommunityDef[] = [
  {
    id: 'SQ001', name: '东门老街社区', kind: '老城区', gridId: 'WG-DM', gridName: '东门网格', gridManagerId: 'RM006', longitude: 118.806, latitude: 32.076, district: '东门街道',
    households: 6240, population: 15180, share60: 0.36, housePrice: 26500, managerId: 'RM006', weight: 1.25,
    ageWeights: [2, 5, 8, 11, 15, 24, 22, 13], incomeMult: 0.85, wealthMult: 1.25, migrantShare: 0.08,
    occupationBoost: { 个体经营: 1.3 }, mortgageBoost: 0.5, payrollBoost: 0.8,
    events: ['反诈宣传讲座', '养老金融讲座', '重阳节敬老活动'],
  },
  {
    id: 'SQ002', name: '锦绣花园社区', kind: '新建商品房', gridId: 'WG-GX', gridName: '高新网格', gridManagerId: 'RM010', longitude: 118.806, latitude: 32.034, district: '高新街道',
    households: 4820, population: 13650, share60: 0.07, housePrice: 42800, managerId: 'RM007', weight: 1.2,
    ageWeights: [3, 22, 36, 20, 9, 6, 3, 1], incomeMult: 1.2, wealthMult: 0.85, migrantShare: 0.3,
    occupationBoost: { 企业职员: 1.5, 教师: 1.2, 医护人员: 1.2 }, mortgageBoost: 2.0, payrollBoost: 1.2,
    events: ['亲子财商课堂', '教育储蓄分享会', '业主开放日'],
  },
  {
    id: 'SQ003', name: '滨江壹号社区', kind: '高端住宅', gridId: 'WG-BZ', gridName: '滨江中山网格', gridManagerId: 'RM013', longitude: 118.746, latitude: 32.084, district: '滨江街道',
    households: 1360, population: 3720, share60: 0.14, housePrice: 98000, managerId: 'RM001', weight: 0.5,
    ageWeights: [2, 8, 20, 27, 21, 14, 6, 2], incomeMult: 2.3, wealthMult: 3.2, migrantShare: 0.25,
    occupationBoost: { 个体经营: 2.2, 企业职员: 1.1, '公务员/事业单位': 0.3, 工人: 0.2, 无业: 0.3 }, mortgageBoost: 1.2, payrollBoost: 0.7,
    events: ['私享财富沙龙', '家族财富传承讲座', '高尔夫体验日'],
  },
  {
    id: 'SQ004', name: '石岗村社区', kind: '城中村/外来务工', gridId: 'WG-XN', gridName: '西岗南湖网格', gridManagerId: 'RM008', longitude: 118.686, latitude: 32.034, district: '西岗街道',
    households: 5310, population: 19870, share60: 0.06, housePrice: 16200, managerId: 'RM008', weight: 1.1,
    ageWeights: [9, 27, 28, 19, 10, 4, 2, 1], incomeMult: 0.7, wealthMult: 0.5, migrantShare: 0.78,
    occupationBoost: { 工人: 2.5, 个体经营: 1.6, 自由职业: 1.6, 企业职员: 0.6, '公务员/事业单位': 0.1, 教师: 0.2, 医护人员: 0.3 },
    mortgageBoost: 0.3, payrollBoost: 0.9,
    events: ['外来务工人员金融服务日', '反诈宣传讲座', '跨行汇款优惠宣传'],
  },
  {
    id: 'SQ005', name: '南湖大学城社区', kind: '大学城', gridId: 'WG-XN', gridName: '西岗南湖网格', gridManagerId: 'RM008', longitude: 118.714, latitude: 32.026, district: '南湖街道',
    households: 2980, population: 26400, share60: 0.05, housePrice: 30500, managerId: 'RM009', weight: 1.0,
    ageWeights: [38, 24, 14, 10, 7, 4, 2, 1], incomeMult: 0.85, wealthMult: 0.6, migrantShare: 0.55,
    occupationBoost: { 教师: 4.0, 企业职员: 0.8, 工人: 0.4, 自由职业: 1.3 }, mortgageBoost: 0.7, payrollBoost: 1.0,
    events: ['开学季校园金融课', '青年信用卡推介会', '防范校园贷讲座'],
  },
  {
    id: 'SQ006', name: '高新产业园社区', kind: '产业园区', gridId: 'WG-GX', gridName: '高新网格', gridManagerId: 'RM010', longitude: 118.834, latitude: 32.026, district: '高新街道',
    households: 3650, population: 11200, share60: 0.03, housePrice: 36800, managerId: 'RM010', weight: 1.15,
    ageWeights: [4, 38, 34, 14, 6, 2, 1, 1], incomeMult: 1.3, wealthMult: 0.75, migrantShare: 0.5,
    occupationBoost: { 企业职员: 2.8, 工人: 1.2, 个体经营: 0.5, 自由职业: 0.8 }, mortgageBoost: 1.3, payrollBoost: 1.7,
    events: ['园区代发专场', '个人养老金开户日', '午间理财小课堂'],
  },
  {
    id: 'SQ007', name: '红旗纺织厂宿舍社区', kind: '老旧单位小区', gridId: 'WG-DM', gridName: '东门网格', gridManagerId: 'RM006', longitude: 118.834, latitude: 32.084, district: '东门街道',
    households: 3120, population: 7460, share60: 0.31, housePrice: 21400, managerId: 'RM006', weight: 0.9,
    ageWeights: [2, 6, 10, 13, 19, 24, 18, 8], incomeMult: 0.75, wealthMult: 0.95, migrantShare: 0.06,
    occupationBoost: { 工人: 2.0, 无业: 1.5 }, mortgageBoost: 0.4, payrollBoost: 0.8,
    events: ['反诈宣传讲座', '社保卡便民服务日', '养老金融讲座'],
  },
  {
    id: 'SQ008', name: '中山路商圈社区', kind: '商业街区', gridId: 'WG-BZ', gridName: '滨江中山网格', gridManagerId: 'RM013', longitude: 118.774, latitude: 32.076, district: '中山街道',
    households: 2450, population: 6830, share60: 0.15, housePrice: 48500, managerId: 'RM013', weight: 0.85,
    ageWeights: [3, 13, 24, 25, 18, 10, 5, 2], incomeMult: 1.3, wealthMult: 1.45, migrantShare: 0.3,
    occupationBoost: { 个体经营: 3.5, 自由职业: 1.4, 工人: 0.5 }, mortgageBoost: 1.0, payrollBoost: 0.6,
    events: ['商户收单服务日', '小微企业主沙龙', '商户反假币培训'],
  },
  {
    id: 'SQ009', name: '和平安置小区', kind: '拆迁安置', gridId: 'WG-HC', gridName: '和平翠湖网格', gridManagerId: 'RM011', longitude: 118.714, latitude: 32.076, district: '和平街道',
    households: 3880, population: 10950, share60: 0.24, housePrice: 19300, managerId: 'RM011', weight: 0.95,
    ageWeights: [4, 10, 14, 17, 20, 19, 12, 4], incomeMult: 0.7, wealthMult: 1.7, migrantShare: 0.04,
    occupationBoost: { 农民: 6.0, 工人: 1.4, 个体经营: 1.2, 无业: 2.0, 企业职员: 0.6 }, mortgageBoost: 0.3, payrollBoost: 0.6,
    events: ['反诈宣传讲座', '拆迁款理财规划讲座', '重阳节敬老活动'],
  },
  {
    id: 'SQ010', name: '文华学府社区', kind: '学区房', gridId: 'WG-WH', gridName: '文华网格', gridManagerId: 'RM012', longitude: 118.746, latitude: 32.026, district: '文华街道',
    households: 2760, population: 8640, share60: 0.12, housePrice: 76000, managerId: 'RM012', weight: 0.8,
    ageWeights: [2, 7, 30, 32, 14, 9, 4, 2], incomeMult: 1.5, wealthMult: 1.6, migrantShare: 0.2,
    occupationBoost: { 教师: 2.5, '公务员/事业单位': 1.8, 医护人员: 1.6, 企业职员: 1.2, 工人: 0.3 },
    mortgageBoost: 1.6, payrollBoost: 1.1,
    events: ['亲子财商课堂', '教育金规划讲座', '家庭资产配置沙龙'],
  },
  {
    id: 'SQ011', name: '阳光城社区', kind: '成熟商品房', gridId: 'WG-WH', gridName: '文华网格', gridManagerId: 'RM012', longitude: 118.774, latitude: 32.034, district: '文华街道',
    households: 5620, population: 15400, share60: 0.18, housePrice: 35500, managerId: 'RM007', weight: 1.3,
    ageWeights: [4, 12, 20, 21, 18, 14, 8, 3], incomeMult: 1.0, wealthMult: 1.0, migrantShare: 0.2,
    occupationBoost: {}, mortgageBoost: 1.0, payrollBoost: 1.0,
    events: ['反诈宣传讲座', '家庭理财讲座', '社区邻里节'],
  },
  {
    id: 'SQ012', name: '翠湖机关大院社区', kind: '机关单位宿舍', gridId: 'WG-HC', gridName: '和平翠湖网格', gridManagerId: 'RM011', longitude: 118.686, latitude: 32.084, district: '翠湖街道',
    households: 1640, population: 4120, share60: 0.27, housePrice: 52500, managerId: 'RM011', weight: 0.6,
    ageWeights: [2, 6, 13, 18, 20, 22, 14, 5], incomeMult: 1.25, wealthMult: 1.4, migrantShare: 0.1,
    occupationBoost: { '公务员/事业单位': 5.0, 教师: 1.5, 医护人员: 1.3, 个体经营: 0.4, 工人: 0.3 },
    mortgageBoost: 0.8, payrollBoost: 1.3,
    events: ['养老金融讲座', '个人养老金开户日', '健康管理讲座'],
  },
];

export interface ProductDef {
  readonly id: string;
  readonly name: string;
  readonly category: ProductCategory;
  /** R1..R5 as 1..5. */
  readonly risk: number;
  readonly minAmount: number;
  /** How the shelf spreadsheet spells the minimum: systems disagree (1万, 50,000.00, 1000). */
  readonly minAmountText: string | number;
  readonly termMonths: number;
  readonly minAge: number | null;
  readonly maxAge: number | null;
  readonly active: boolean;
}

const p = (
  id: string,
  name: string,
  category: ProductCategory,
  risk: number,
  minAmount: number,
  minAmountText: string | number,
  termMonths: number,
  minAge: number | null,
  maxAge: number | null,
  active = true,
): ProductDef => ({ id, name, category, risk, minAmount, minAmountText, termMonths, minAge, maxAge, active });

/** The shelf: 30 products over every category of the dictionary. */
export const PRODUCTS: readonly ProductDef[] = [
  p('HQ001', '个人活期储蓄', 'demand_deposit', 1, 0, 0, 0, null, null),
  p('HQ002', '金色年华长者借记卡', 'demand_deposit', 1, 0, 0, 0, 60, null),
  p('DQ001', '整存整取定期存款(1年)', 'time_deposit', 1, 50, 50, 12, null, null),
  p('DQ002', '整存整取定期存款(3年)', 'time_deposit', 1, 50, 50, 36, null, null),
  p('DQ003', '个人大额存单(3年)', 'time_deposit', 1, 200_000, '20万', 36, 18, null),
  p('DQ004', '教育储蓄(零存整取)', 'time_deposit', 1, 50, 50, 36, 18, 60),
  p('LC001', '稳利180天持有期理财', 'wealth', 2, 10_000, '1万', 6, 18, null),
  p('LC002', '安盈一年定开理财', 'wealth', 2, 10_000, '10,000.00', 12, 18, null),
  p('LC003', '固收增强一年持有理财', 'wealth', 3, 10_000, '1万元', 12, 18, null),
  p('LC004', '多元配置两年持有理财', 'wealth', 3, 50_000, '50,000.00', 24, 18, 75),
  p('LC005', '权益增强三年封闭理财', 'wealth', 4, 10_000, '1万', 36, 18, 70),
  p('LC006', '保本保息理财(已停售)', 'wealth', 2, 50_000, '5万', 12, 18, null, false),
  p('JJ001', '均衡配置混合基金', 'fund', 3, 1000, 1000, 0, 18, 75),
  p('JJ002', '沪深300指数增强基金', 'fund', 4, 10, 10, 0, 18, 70),
  p('JJ003', '科技创新股票基金', 'fund', 5, 10, 10, 0, 18, 65),
  p('BX001', '鑫享年年年金保险', 'insurance', 2, 10_000, '1万', 120, 18, 65),
  p('BX002', '安康一生重大疾病保险', 'insurance', 1, 3000, '3,000.00', 240, 18, 55),
  p('GJ001', '如意积存金', 'precious_metal', 3, 500, 500, 0, 18, 70),
  p('YL001', '个人养老金资金账户', 'pension', 1, 0, 0, 0, 18, 60),
  p('YL002', '养老目标日期2045三年持有基金', 'pension', 3, 1000, 1000, 36, 18, 60),
  p('DF001', '代发工资服务', 'payroll', 1, 0, 0, 0, 16, 65),
  p('SJ001', '个人手机银行', 'mobile_banking', 1, 0, 0, 0, 16, null),
  p('XY001', '标准信用卡', 'credit_card', 1, 0, 0, 0, 18, 65),
  p('XY002', '青春信用卡', 'credit_card', 1, 0, 0, 0, 18, 30),
  p('XY003', '白金信用卡', 'credit_card', 1, 0, 0, 0, 25, 65),
  p('XD001', '快e消费贷', 'consumer_loan', 1, 1000, '1,000.00', 36, 22, 55),
  p('XD002', '家装分期贷款', 'consumer_loan', 1, 20_000, '2万', 60, 22, 60, false),
  p('FD001', '个人住房按揭贷款', 'mortgage', 1, 100_000, '10万', 360, 18, 65),
  p('JY001', '小微快贷(信用)', 'business_loan', 1, 10_000, '1万', 12, 22, 65),
  p('JY002', '个体工商户抵押经营贷', 'business_loan', 1, 100_000, '100,000.00', 36, 22, 65),
];

const productById = new Map(PRODUCTS.map((product) => [product.id, product]));

export function product(id: string): ProductDef {
  const found = productById.get(id);
  if (!found) throw new Error(`unknown demo product ${id}`);
  return found;
}

/** Income bands as the customer master exports them, with their lower bounds in 元 per year. */
export const INCOME_BANDS: readonly { readonly label: string; readonly from: number }[] = [
  { label: '5万以下', from: 0 },
  { label: '5-10万', from: 50_000 },
  { label: '10-20万', from: 100_000 },
  { label: '20-50万', from: 200_000 },
  { label: '50万以上', from: 500_000 },
];

export const EDUCATION_LEVELS = ['初中及以下', '高中/中专', '大专', '本科', '硕士及以上'] as const;

export const RISK_LEVEL_WORDS = ['', '保守型', '稳健型', '平衡型', '成长型', '进取型'] as const;

/** Value tier thresholds of DESIGN.md §4, on the 3-month average AUM. */
export const TIER_BOUNDS = { affluent: 50_000, wealth: 500_000, private: 6_000_000 } as const;
