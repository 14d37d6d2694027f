/**
 * The data dictionary: every importable entity, its fields, their types and the header names bank exports
 * use for them. The importer maps headers through it, the rule DSL whitelists fields from it, and the UI
 * labels columns with it. The SQL schema in electron/engine/db/migrations mirrors it; a test keeps the two
 * in step.
 */

export type FieldType = 'text' | 'integer' | 'number' | 'money' | 'ratio' | 'date' | 'month' | 'boolean' | 'enum';

export type PiiKind = 'name' | 'mobile' | 'id_number';

export interface FieldDef {
  /** Column name in the workspace table. */
  readonly key: string;
  readonly label: string;
  readonly labelEn: string;
  readonly type: FieldType;
  readonly required?: boolean;
  readonly pii?: PiiKind;
  /** Canonical codes of an enum field, stored as they are. */
  readonly enumValues?: readonly string[];
  /** Chinese display names of enum codes. */
  readonly enumLabels?: Readonly<Record<string, string>>;
  /** Raw spellings seen in exports, mapped to a canonical code. Matching ignores case and spaces. */
  readonly valueSynonyms?: Readonly<Record<string, string>>;
  /** An open enum keeps values it does not know instead of rejecting them (transaction types vary by bank). */
  readonly openEnum?: boolean;
  /** Codes that stand for "not known" and load as empty, e.g. GB/T 2261.1 gender 0 (未知) and 9 (未说明). */
  readonly unknownValues?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  /** Header names seen in Chinese and English exports. */
  readonly synonyms: readonly string[];
}

export type EntityKey =
  | 'communities'
  | 'managers'
  | 'customers'
  | 'products'
  | 'holdings'
  | 'balances'
  | 'transactions'
  | 'interactions'
  | 'campaign_responses';

export interface EntityDef {
  readonly key: EntityKey;
  /** The workspace table the entity imports into. */
  readonly table: string;
  readonly label: string;
  readonly labelEn: string;
  /** Fields that identify a row; re-importing the same key updates the row. */
  readonly keyFields: readonly string[];
  readonly fields: readonly FieldDef[];
  /** Entities whose rows this one references and which must therefore be imported first. */
  readonly references: readonly EntityKey[];
}

const CHANNEL: Pick<FieldDef, 'enumValues' | 'enumLabels' | 'valueSynonyms'> = {
  enumValues: ['counter', 'mobile', 'online', 'atm', 'pos'],
  enumLabels: { counter: '柜面', mobile: '手机银行', online: '网银', atm: 'ATM', pos: 'POS' },
  valueSynonyms: {
    柜面: 'counter', 柜台: 'counter', 网点: 'counter', 营业厅: 'counter', branch: 'counter',
    手机银行: 'mobile', 手机: 'mobile', 移动端: 'mobile', app: 'mobile', 掌银: 'mobile', 'mobile banking': 'mobile',
    网银: 'online', 网上银行: 'online', 个人网银: 'online', internet: 'online', web: 'online',
    atm: 'atm', 自助设备: 'atm', 自助机: 'atm', crs: 'atm',
    pos: 'pos', 刷卡: 'pos', 快捷支付: 'pos', 第三方支付: 'pos',
  },
};

export const PRODUCT_CATEGORIES = [
  'demand_deposit',
  'time_deposit',
  'wealth',
  'fund',
  'insurance',
  'precious_metal',
  'pension',
  'payroll',
  'mobile_banking',
  'credit_card',
  'consumer_loan',
  'mortgage',
  'business_loan',
] as const;
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];

export const PRODUCT_CATEGORY_LABELS: Readonly<Record<ProductCategory, string>> = {
  demand_deposit: '活期存款',
  time_deposit: '定期存款',
  wealth: '理财',
  fund: '基金',
  insurance: '保险',
  precious_metal: '贵金属',
  pension: '个人养老金',
  payroll: '代发工资',
  mobile_banking: '手机银行',
  credit_card: '信用卡',
  consumer_loan: '消费贷',
  mortgage: '房贷',
  business_loan: '经营贷',
};

/** Transaction types the analytics know. Other values import as they are (open enum). */
export const TRANSACTION_TYPE_LABELS: Readonly<Record<string, string>> = {
  transfer_out: '转账汇出',
  transfer_in: '转账汇入',
  consume: '消费',
  withdraw: '取现',
  cash_deposit: '存现',
  salary: '代发工资',
  interest: '结息',
  fee: '扣费',
  wealth_buy: '理财申购',
  wealth_redeem: '理财赎回',
  fund_buy: '基金申购',
  loan_repay: '贷款还款',
  bill_pay: '生活缴费',
  insurance_pay: '保费缴纳',
  auto_debit: '代扣',
};

/**
 * Transactions that happen without the customer acting: posted by the bank or by others (salary, interest,
 * fees, incoming transfers), or debited on a schedule he set up once (loan instalments, insurance renewal
 * premiums, standing orders / 代扣). Every activity measure counts only the others, with this one list:
 * RFM R and F, the transaction counts, 沉睡 and 衰退 of the lifecycle, the activity tags, the churn labels.
 * Nineteen demo customers avoided 沉睡 through automatic repayments alone before loan_repay was listed
 * (issue #13). A type not listed here (a missing type included) counts as the customer's own.
 */
export const PASSIVE_TRANSACTION_TYPES: readonly string[] = ['salary', 'interest', 'fee', 'transfer_in', 'loan_repay', 'insurance_pay', 'auto_debit'];

const invert = (labels: Readonly<Record<string, string>>): Record<string, string> =>
  Object.fromEntries(Object.entries(labels).map(([code, label]) => [label, code]));

const customerId = (required: boolean): FieldDef => ({
  key: 'customer_id',
  label: '客户号',
  labelEn: 'Customer ID',
  type: 'text',
  required,
  synonyms: ['客户号', '客户编号', '客户ID', '客户代码', '核心客户号', '客户账号', 'cust_id', 'cust_no', 'customer_id', 'customerid', 'client_id', 'clientid'],
});

const productId = (required: boolean): FieldDef => ({
  key: 'product_id',
  label: '产品代码',
  labelEn: 'Product ID',
  type: 'text',
  required,
  synonyms: ['产品代码', '产品编号', '产品号', '产品ID', 'product_id', 'productid', 'prod_id', 'prod_code'],
});

const managerId: FieldDef = {
  key: 'manager_id',
  label: '客户经理',
  labelEn: 'Relationship manager',
  type: 'text',
  synonyms: ['客户经理', '客户经理号', '客户经理编号', '管户经理', '归属客户经理', '经理编号', 'manager_id', 'rm_id', 'rm'],
};

export const ENTITIES: readonly EntityDef[] = [
  {
    key: 'communities',
    table: 'communities',
    label: '社区',
    labelEn: 'Communities',
    keyFields: ['community_id'],
    references: [],
    fields: [
      { key: 'community_id', label: '社区编号', labelEn: 'Community ID', type: 'text', required: true, synonyms: ['社区编号', '社区代码', '社区ID', '所属社区', '小区编号', 'community_id', 'district_id'] },
      { key: 'name', label: '社区名称', labelEn: 'Name', type: 'text', required: true, synonyms: ['社区名称', '社区', '小区名称', '名称', 'community_name', 'name'] },
      { key: 'grid_id', label: '网格编号', labelEn: 'Grid ID', type: 'text', synonyms: ['网格编号', '网格代码', '网格ID', 'grid_id'] },
      { key: 'grid_name', label: '网格名称', labelEn: 'Grid name', type: 'text', synonyms: ['网格名称', '网格', 'grid_name'] },
      { key: 'district', label: '所属街道/区域', labelEn: 'District', type: 'text', synonyms: ['所属街道', '街道', '区域', '行政区', '片区', 'district', 'region'] },
      { key: 'households', label: '户数', labelEn: 'Households', type: 'integer', min: 0, synonyms: ['户数', '总户数', '住户数', 'households'] },
      { key: 'population', label: '常住人口', labelEn: 'Population', type: 'integer', min: 0, synonyms: ['常住人口', '人口', '人口数', 'population', 'inhabitants'] },
      { key: 'share_age_60_plus', label: '60岁以上占比', labelEn: 'Share aged 60+', type: 'ratio', min: 0, max: 1, synonyms: ['60岁以上占比', '老年人口占比', '老龄化率', 'share_age_60_plus'] },
      { key: 'avg_house_price', label: '平均房价(元/㎡)', labelEn: 'Average house price', type: 'money', min: 0, synonyms: ['平均房价', '房价', '均价', 'avg_house_price'] },
      { ...managerId, label: '社区负责客户经理' },
      // Optional (issue #12): coordinates place communities on the grid map; without them the map lays them out by grid.
      { key: 'longitude', label: '经度', labelEn: 'Longitude', type: 'number', min: -180, max: 180, synonyms: ['经度', '中心经度', 'longitude', 'lng'] },
      { key: 'latitude', label: '纬度', labelEn: 'Latitude', type: 'number', min: -90, max: 90, synonyms: ['纬度', '中心纬度', 'latitude'] },
      { key: 'grid_manager_id', label: '网格负责人', labelEn: 'Grid manager', type: 'text', synonyms: ['网格负责人', '网格长', '网格员', '网格经理', 'grid_manager_id', 'grid_manager'] },
    ],
  },
  {
    key: 'managers',
    table: 'managers',
    label: '客户经理',
    labelEn: 'Managers',
    keyFields: ['manager_id'],
    references: [],
    fields: [
      { key: 'manager_id', label: '客户经理号', labelEn: 'Manager ID', type: 'text', required: true, synonyms: ['客户经理号', '客户经理编号', '经理编号', '员工号', '工号', 'manager_id', 'rm_id'] },
      { key: 'name', label: '姓名', labelEn: 'Name', type: 'text', required: true, synonyms: ['客户经理姓名', '姓名', '客户经理', '名称', 'manager_name', 'name'] },
      { key: 'team', label: '团队', labelEn: 'Team', type: 'text', synonyms: ['团队', '所属团队', '部门', '小组', 'team'] },
    ],
  },
  {
    key: 'customers',
    table: 'customers',
    label: '客户',
    labelEn: 'Customers',
    keyFields: ['customer_id'],
    references: [],
    fields: [
      customerId(true),
      { key: 'name', label: '客户姓名', labelEn: 'Name', type: 'text', pii: 'name', synonyms: ['客户名称', '客户姓名', '姓名', '户名', 'name', 'customer_name', 'surname'] },
      {
        key: 'gender', label: '性别', labelEn: 'Gender', type: 'enum',
        enumValues: ['M', 'F'], enumLabels: { M: '男', F: '女' },
        // GB/T 2261.1: 1 男, 2 女, 0 未知的性别, 9 未说明的性别. A 0/1 coding is not that standard and is
        // refused until a value map says what it means (see shared/value-maps.ts).
        valueSynonyms: { 男: 'M', 女: 'F', m: 'M', f: 'F', male: 'M', female: 'F', '1': 'M', '2': 'F', 男性: 'M', 女性: 'F' },
        unknownValues: ['0', '9', '未知', '未说明', 'u', 'unknown'],
        synonyms: ['性别', 'gender', 'sex'],
      },
      { key: 'birth_date', label: '出生日期', labelEn: 'Birth date', type: 'date', synonyms: ['出生日期', '生日', '出生年月日', 'birth_date', 'birthday', 'date_of_birth', 'dob'] },
      { key: 'id_number', label: '证件号码', labelEn: 'ID number', type: 'text', pii: 'id_number', synonyms: ['证件号码', '身份证号', '身份证号码', '证件号', 'id_number', 'id_no'] },
      { key: 'mobile', label: '手机号码', labelEn: 'Mobile', type: 'text', pii: 'mobile', synonyms: ['手机号码', '手机号', '联系电话', '移动电话', '电话', 'mobile', 'phone'] },
      { key: 'occupation', label: '职业', labelEn: 'Occupation', type: 'text', synonyms: ['职业', '职业类别', '职业类型', 'occupation', 'job'] },
      { key: 'education', label: '学历', labelEn: 'Education', type: 'text', synonyms: ['学历', '教育程度', '最高学历', 'education'] },
      { key: 'marital_status', label: '婚姻状况', labelEn: 'Marital status', type: 'text', synonyms: ['婚姻状况', '婚姻状态', '婚否', 'marital_status', 'marital'] },
      { key: 'income_band', label: '收入区间', labelEn: 'Income band', type: 'text', synonyms: ['收入区间', '年收入', '收入水平', '收入等级', 'income_band', 'income'] },
      {
        key: 'customer_type', label: '客户类型', labelEn: 'Customer type', type: 'enum',
        enumValues: ['individual', 'sme_owner'], enumLabels: { individual: '个人客户', sme_owner: '小微企业主' },
        valueSynonyms: { 个人: 'individual', 个人客户: 'individual', 普通个人: 'individual', 小微企业主: 'sme_owner', 小微: 'sme_owner', 个体工商户: 'sme_owner', 企业主: 'sme_owner' },
        synonyms: ['客户类型', '客户类别', 'customer_type'],
      },
      { key: 'community_id', label: '所属社区', labelEn: 'Community', type: 'text', synonyms: ['所属社区', '社区编号', '网格编号', '小区', '社区', 'community_id', 'district_id'] },
      managerId,
      { key: 'open_date', label: '开户日期', labelEn: 'Open date', type: 'date', synonyms: ['开户日期', '建档日期', '开户时间', '首次开户日期', 'open_date', 'opened_at'] },
      {
        // 风险承受等级, never the bare 风险等级: the churn band is a risk too (流失风险), and analysts misread one for the other.
        key: 'risk_level', label: '风险承受等级', labelEn: 'Risk tolerance', type: 'enum',
        enumValues: ['C1', 'C2', 'C3', 'C4', 'C5'],
        enumLabels: { C1: 'C1 保守型', C2: 'C2 稳健型', C3: 'C3 平衡型', C4: 'C4 成长型', C5: 'C5 进取型' },
        valueSynonyms: { 保守型: 'C1', 谨慎型: 'C1', 稳健型: 'C2', 平衡型: 'C3', 成长型: 'C4', 积极型: 'C4', 进取型: 'C5', 激进型: 'C5', 保守: 'C1', 稳健: 'C2', 平衡: 'C3', 成长: 'C4', 进取: 'C5', '1': 'C1', '2': 'C2', '3': 'C3', '4': 'C4', '5': 'C5' },
        synonyms: ['风险等级', '风险测评等级', '风险测评结果', '风险评估等级', '风险评估结果', '风险承受能力', '风险承受等级', '风险承受能力等级', '客户风险等级', '风评等级', 'risk_level'],
      },
      { key: 'risk_assessed_at', label: '风险测评日期', labelEn: 'Risk assessed on', type: 'date', synonyms: ['测评日期', '风险测评日期', '风评日期', 'risk_assessed_at'] },
      { key: 'consent_marketing', label: '同意营销', labelEn: 'Marketing consent', type: 'boolean', synonyms: ['同意营销', '营销授权', '是否同意营销', 'consent_marketing'] },
      { key: 'do_not_contact', label: '勿扰', labelEn: 'Do not contact', type: 'boolean', synonyms: ['勿扰', '拒绝营销', '免打扰', '是否勿扰', 'do_not_contact'] },
    ],
  },
  {
    key: 'products',
    table: 'products',
    label: '产品',
    labelEn: 'Products',
    keyFields: ['product_id'],
    references: [],
    fields: [
      productId(true),
      { key: 'name', label: '产品名称', labelEn: 'Name', type: 'text', required: true, synonyms: ['产品名称', '产品名', 'product_name', 'name'] },
      {
        key: 'category', label: '产品类型', labelEn: 'Category', type: 'enum', required: true,
        enumValues: PRODUCT_CATEGORIES, enumLabels: PRODUCT_CATEGORY_LABELS,
        valueSynonyms: { ...invert(PRODUCT_CATEGORY_LABELS), 活期: 'demand_deposit', 定期: 'time_deposit', 大额存单: 'time_deposit', 银行理财: 'wealth', 理财产品: 'wealth', 公募基金: 'fund', 代销基金: 'fund', 代销保险: 'insurance', 黄金: 'precious_metal', 养老金: 'pension', 代发: 'payroll', 住房贷款: 'mortgage', 按揭: 'mortgage', 消费贷款: 'consumer_loan', 经营贷款: 'business_loan', 贷记卡: 'credit_card' },
        synonyms: ['产品类型', '产品类别', '产品大类', 'category', 'product_type'],
      },
      {
        key: 'risk_rating', label: '产品风险等级', labelEn: 'Risk rating', type: 'enum',
        enumValues: ['R1', 'R2', 'R3', 'R4', 'R5'],
        enumLabels: { R1: 'R1 低风险', R2: 'R2 中低风险', R3: 'R3 中风险', R4: 'R4 中高风险', R5: 'R5 高风险' },
        valueSynonyms: { 低: 'R1', 低风险: 'R1', 中低: 'R2', 中低风险: 'R2', 中: 'R3', 中风险: 'R3', 中高: 'R4', 中高风险: 'R4', 高: 'R5', 高风险: 'R5', '1': 'R1', '2': 'R2', '3': 'R3', '4': 'R4', '5': 'R5' },
        synonyms: ['产品风险等级', '风险等级', '风险评级', 'risk_rating'],
      },
      { key: 'min_amount', label: '起购金额', labelEn: 'Minimum amount', type: 'money', min: 0, synonyms: ['起购金额', '起存金额', '起点金额', 'min_amount'] },
      { key: 'term_months', label: '期限(月)', labelEn: 'Term (months)', type: 'integer', min: 0, synonyms: ['期限', '期限(月)', '产品期限', 'term_months', 'term'] },
      { key: 'min_age', label: '最低年龄', labelEn: 'Minimum age', type: 'integer', min: 0, max: 120, synonyms: ['最低年龄', '年龄下限', 'min_age'] },
      { key: 'max_age', label: '最高年龄', labelEn: 'Maximum age', type: 'integer', min: 0, max: 120, synonyms: ['最高年龄', '年龄上限', 'max_age'] },
      { key: 'active', label: '在售', labelEn: 'Active', type: 'boolean', synonyms: ['在售', '是否在售', '状态', 'active'] },
    ],
  },
  {
    key: 'holdings',
    table: 'holdings',
    label: '产品持有',
    labelEn: 'Holdings',
    keyFields: ['customer_id', 'product_id', 'opened_at'],
    references: ['customers', 'products'],
    fields: [
      customerId(true),
      productId(true),
      { key: 'opened_at', label: '开立日期', labelEn: 'Opened on', type: 'date', required: true, synonyms: ['开立日期', '签约日期', '购买日期', '起息日', '开户日期', 'opened_at', 'open_date', 'start_date'] },
      { key: 'closed_at', label: '结清日期', labelEn: 'Closed on', type: 'date', synonyms: ['结清日期', '销户日期', '到期日期', '赎回日期', 'closed_at', 'close_date', 'end_date'] },
      { key: 'balance', label: '持有余额', labelEn: 'Balance', type: 'money', synonyms: ['持有余额', '余额', '持仓金额', '贷款余额', 'balance', 'amount'] },
    ],
  },
  {
    key: 'balances',
    table: 'balances',
    label: '月日均资产',
    labelEn: 'Monthly balances',
    keyFields: ['customer_id', 'month'],
    references: ['customers'],
    fields: [
      customerId(true),
      { key: 'month', label: '月份', labelEn: 'Month', type: 'month', required: true, synonyms: ['月份', '统计月份', '数据月份', '会计月份', 'month', 'period'] },
      { key: 'aum', label: '月日均资产', labelEn: 'AUM (monthly average)', type: 'money', required: true, synonyms: ['月日均资产', '日均资产', '资产余额', '金融资产', 'aum'] },
      { key: 'deposit', label: '存款余额', labelEn: 'Deposits', type: 'money', synonyms: ['存款余额', '月日均存款', '存款', 'deposit'] },
      { key: 'wealth', label: '理财余额', labelEn: 'Wealth products', type: 'money', synonyms: ['理财余额', '月日均理财', '理财', 'wealth'] },
      { key: 'loan', label: '贷款余额', labelEn: 'Loans', type: 'money', synonyms: ['贷款余额', '月日均贷款', '贷款', 'loan'] },
    ],
  },
  {
    key: 'transactions',
    table: 'transactions',
    label: '交易流水',
    labelEn: 'Transactions',
    keyFields: ['txn_id'],
    references: ['customers'],
    fields: [
      { key: 'txn_id', label: '交易流水号', labelEn: 'Transaction ID', type: 'text', required: true, synonyms: ['交易流水号', '流水号', '交易编号', '交易序号', 'txn_id', 'trans_id', 'transaction_id'] },
      customerId(true),
      { key: 'txn_date', label: '交易日期', labelEn: 'Date', type: 'date', required: true, synonyms: ['交易日期', '记账日期', '交易时间', '发生日期', 'txn_date', 'trans_date', 'date'] },
      { key: 'channel', label: '交易渠道', labelEn: 'Channel', type: 'enum', ...CHANNEL, synonyms: ['交易渠道', '渠道', '交易方式', 'channel'] },
      {
        key: 'type', label: '交易类型', labelEn: 'Type', type: 'enum', openEnum: true,
        enumValues: Object.keys(TRANSACTION_TYPE_LABELS), enumLabels: TRANSACTION_TYPE_LABELS,
        valueSynonyms: { ...invert(TRANSACTION_TYPE_LABELS), 转账: 'transfer_out', 转出: 'transfer_out', 转入: 'transfer_in', 汇款: 'transfer_out', 刷卡消费: 'consume', 取款: 'withdraw', 存款: 'cash_deposit', 工资: 'salary', 代发: 'salary', 利息: 'interest', 手续费: 'fee', 还款: 'loan_repay', 缴费: 'bill_pay', 代扣: 'auto_debit', 自动扣款: 'auto_debit', 定期扣款: 'auto_debit', 委托扣款: 'auto_debit', 申购: 'wealth_buy', 赎回: 'wealth_redeem' },
        synonyms: ['交易类型', '交易种类', '业务类型', '摘要', 'type', 'txn_type'],
      },
      { key: 'amount', label: '交易金额', labelEn: 'Amount', type: 'money', required: true, synonyms: ['交易金额', '发生额', '金额', 'amount', 'txn_amount'] },
      {
        key: 'direction', label: '借贷标志', labelEn: 'Direction', type: 'enum',
        enumValues: ['out', 'in'], enumLabels: { out: '支出(借)', in: '收入(贷)' },
        valueSynonyms: { 借: 'out', 贷: 'in', d: 'out', c: 'in', 支出: 'out', 收入: 'in', 出: 'out', 入: 'in', debit: 'out', credit: 'in' },
        synonyms: ['借贷标志', '收支方向', '借贷方向', '收支标志', 'direction', 'dc_flag'],
      },
      productId(false),
    ],
  },
  {
    key: 'interactions',
    table: 'interactions',
    label: '客户接触',
    labelEn: 'Interactions',
    keyFields: ['customer_id', 'date', 'channel', 'kind'],
    references: ['customers'],
    fields: [
      customerId(true),
      { key: 'date', label: '接触日期', labelEn: 'Date', type: 'date', required: true, synonyms: ['接触日期', '日期', '服务日期', '联系日期', 'date', 'contact_date'] },
      { key: 'channel', label: '接触渠道', labelEn: 'Channel', type: 'enum', ...CHANNEL, enumValues: [...(CHANNEL.enumValues ?? []), 'phone', 'visit', 'wechat'], enumLabels: { ...CHANNEL.enumLabels, phone: '电话', visit: '上门', wechat: '企业微信' }, valueSynonyms: { ...CHANNEL.valueSynonyms, 电话: 'phone', 外呼: 'phone', 上门: 'visit', 走访: 'visit', 微信: 'wechat', 企业微信: 'wechat' }, synonyms: ['接触渠道', '渠道', '联系方式', 'channel'], required: true },
      {
        key: 'kind', label: '接触类型', labelEn: 'Kind', type: 'enum', required: true,
        enumValues: ['visit', 'call', 'complaint', 'event', 'survey'],
        enumLabels: { visit: '到访', call: '电话联系', complaint: '投诉', event: '活动', survey: '满意度调查' },
        valueSynonyms: { 到访: 'visit', 拜访: 'visit', 来访: 'visit', 电话: 'call', 电话联系: 'call', 回访: 'call', 投诉: 'complaint', 客诉: 'complaint', 活动: 'event', 沙龙: 'event', 讲座: 'event', 调查: 'survey', 满意度调查: 'survey', 问卷: 'survey' },
        synonyms: ['接触类型', '类型', '事件类型', 'kind', 'type'],
      },
      { key: 'outcome', label: '结果', labelEn: 'Outcome', type: 'text', synonyms: ['结果', '处理结果', '接触结果', 'outcome', 'result'] },
      { key: 'score', label: '评分', labelEn: 'Score', type: 'number', synonyms: ['评分', '满意度', '得分', 'score'] },
    ],
  },
  {
    key: 'campaign_responses',
    table: 'campaign_responses',
    label: '活动响应',
    labelEn: 'Campaign responses',
    keyFields: ['campaign_id', 'customer_id'],
    references: ['customers'],
    fields: [
      { key: 'campaign_id', label: '活动编号', labelEn: 'Campaign ID', type: 'text', required: true, synonyms: ['活动编号', '活动代码', '营销活动编号', 'campaign_id'] },
      customerId(true),
      { key: 'responded_at', label: '响应日期', labelEn: 'Responded on', type: 'date', synonyms: ['响应日期', '反馈日期', '日期', 'responded_at', 'date'] },
      {
        key: 'outcome', label: '响应结果', labelEn: 'Outcome', type: 'enum', required: true,
        enumValues: ['contacted', 'responded', 'converted'],
        enumLabels: { contacted: '已触达', responded: '有响应', converted: '已成交' },
        valueSynonyms: { 已触达: 'contacted', 触达: 'contacted', 已联系: 'contacted', 未响应: 'contacted', no: 'contacted', 有响应: 'responded', 响应: 'responded', 有意向: 'responded', 已成交: 'converted', 成交: 'converted', 购买: 'converted', yes: 'converted' },
        synonyms: ['响应结果', '结果', '营销结果', 'outcome', 'result'],
      },
      { key: 'amount', label: '成交金额', labelEn: 'Amount', type: 'money', synonyms: ['成交金额', '金额', '购买金额', 'amount'] },
    ],
  },
];

const byKey = new Map<EntityKey, EntityDef>(ENTITIES.map((e) => [e.key, e]));

export function isEntityKey(value: string): value is EntityKey {
  return byKey.has(value as EntityKey);
}

export function entity(key: EntityKey): EntityDef {
  const def = byKey.get(key);
  if (!def) throw new Error(`unknown entity ${key}`);
  return def;
}

export function field(entityKey: EntityKey, fieldKey: string): FieldDef | undefined {
  return entity(entityKey).fields.find((f) => f.key === fieldKey);
}

/**
 * The order in which entities can be imported into an empty workspace: every entity after the ones it
 * references.
 */
export const IMPORT_ORDER: readonly EntityKey[] = ENTITIES.map((e) => e.key);
