import type { EntityKey } from '../../../shared/dictionary';

/**
 * The columns of every demo file, in file order, with the header text written for each field. Different
 * bank systems name the same field differently (客户号 in the balance extract, 核心客户号 in the ledger,
 * 客户编号 in the CRM), so the headers vary from file to file; every one of them is a synonym from
 * shared/dictionary.ts so the importer maps it without help. A test holds this to the dictionary.
 */
export interface Column {
  readonly field: string;
  readonly header: string;
}

const columns = (pairs: readonly (readonly [string, string])[]): readonly Column[] => pairs.map(([field, header]) => ({ field, header }));

export const COLUMNS: Readonly<Record<EntityKey, readonly Column[]>> = {
  communities: columns([
    ['community_id', '社区编号'],
    ['name', '社区名称'],
    ['grid_id', '网格编号'],
    ['grid_name', '网格名称'],
    ['district', '所属街道'],
    ['households', '总户数'],
    ['population', '常住人口'],
    ['share_age_60_plus', '60岁以上占比'],
    ['avg_house_price', '平均房价'],
    ['manager_id', '管户经理'],
    ['longitude', '经度'],
    ['latitude', '纬度'],
    ['grid_manager_id', '网格负责人'],
  ]),
  managers: columns([
    ['manager_id', '客户经理号'],
    ['name', '客户经理姓名'],
    ['team', '所属团队'],
  ]),
  customers: columns([
    ['customer_id', '客户号'],
    ['name', '客户姓名'],
    ['gender', '性别'],
    ['birth_date', '出生日期'],
    ['id_number', '证件号码'],
    ['mobile', '手机号码'],
    ['occupation', '职业'],
    ['education', '学历'],
    ['marital_status', '婚姻状况'],
    ['income_band', '收入区间'],
    ['customer_type', '客户类型'],
    ['community_id', '所属社区'],
    ['manager_id', '归属客户经理'],
    ['open_date', '开户日期'],
    ['risk_level', '风险测评等级'],
    ['risk_assessed_at', '风险测评日期'],
    ['consent_marketing', '是否同意营销'],
    ['do_not_contact', '勿扰'],
  ]),
  products: columns([
    ['product_id', '产品代码'],
    ['name', '产品名称'],
    ['category', '产品类型'],
    ['risk_rating', '产品风险等级'],
    ['min_amount', '起购金额'],
    ['term_months', '期限(月)'],
    ['min_age', '最低年龄'],
    ['max_age', '最高年龄'],
    ['active', '是否在售'],
  ]),
  holdings: columns([
    ['customer_id', '客户编号'],
    ['product_id', '产品编号'],
    ['opened_at', '签约日期'],
    ['closed_at', '结清日期'],
    ['balance', '持有余额'],
  ]),
  balances: columns([
    ['customer_id', '客户号'],
    ['month', '统计月份'],
    ['aum', '月日均资产'],
    ['deposit', '月日均存款'],
    ['wealth', '月日均理财'],
    ['loan', '月日均贷款'],
  ]),
  transactions: columns([
    ['txn_id', '交易流水号'],
    ['customer_id', '核心客户号'],
    ['txn_date', '交易日期'],
    ['channel', '交易渠道'],
    ['type', '交易类型'],
    ['amount', '交易金额'],
    ['direction', '借贷标志'],
    ['product_id', '产品代码'],
  ]),
  interactions: columns([
    ['customer_id', '客户编号'],
    ['date', '接触日期'],
    ['channel', '接触渠道'],
    ['kind', '接触类型'],
    ['outcome', '处理结果'],
    ['score', '满意度'],
  ]),
  campaign_responses: columns([
    ['campaign_id', '活动编号'],
    ['customer_id', '客户号'],
    ['responded_at', '响应日期'],
    ['outcome', '响应结果'],
    ['amount', '成交金额'],
  ]),
};

/** Small reference tables go out as XLSX, the way branch staff keep them; the rest as system CSV extracts. */
export const FORMATS: Readonly<Record<EntityKey, 'csv' | 'xlsx'>> = {
  communities: 'xlsx',
  managers: 'xlsx',
  products: 'xlsx',
  customers: 'csv',
  holdings: 'csv',
  balances: 'csv',
  transactions: 'csv',
  interactions: 'csv',
  campaign_responses: 'csv',
};

export const SHEET_NAMES: Readonly<Partial<Record<EntityKey, string>>> = {
  communities: '社区信息',
  managers: '客户经理名单',
  products: '产品目录',
};

export function fileName(entity: EntityKey): string {
  return `${entity}.${FORMATS[entity]}`;
}

export function headerOf(entity: EntityKey, field: string): string {
  const column = COLUMNS[entity].find((c) => c.field === field);
  if (!column) throw new Error(`demo file ${entity} has no column for ${field}`);
  return column.header;
}
