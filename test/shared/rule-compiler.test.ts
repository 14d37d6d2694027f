import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { up } from '../../electron/engine/db/migrations/001-initial';
import {
  compileRule,
  describeRule,
  MAX_LIST_VALUES,
  RuleError,
  validateRule,
  type CompileOptions,
} from '../../shared/rule-compiler';
import {
  catalogField,
  catalogFields,
  columnExpression,
  customerFieldCatalog,
  fieldTitle,
  fromClause,
  type CustomerCatalogOptions,
  type FieldCatalog,
  type RuleField,
} from '../../shared/rule-fields';
import type { RuleNode, RuleOperator, RuleScalar } from '../../shared/rules';

/*
 * Fixture, as of 2024-06-30. Ages follow from the birth dates: C01 74, C02 33 (birthday tomorrow),
 * C03 unknown, C04 60 (birthday today), C05 44, C06 24 (born 29 Feb), C07 38, C08 65.
 *
 * id   name               gender  birth       occupation  community   manager  open_date   risk  consent  dnc
 * C01  张三                M       1950-03-10  退休        K1 幸福里   M1 刘    2010-01-05  C2    1        0
 * C02  李四                F       1990-07-01  教师        K1 幸福里   M2 陈    2021-03-15  C4    1        0
 * C03  王五                NULL    NULL        NULL        K2 阳光花园  M1 刘    NULL        NULL  0        1
 * C04  赵六                F       1964-06-30  医生        K2 阳光花园  M2 陈    2015-06-30  C3    1        0
 * C05  钱%七               M       1980-01-15  个体经营    K1 幸福里   NULL     2019-11-01  C5    NULL     NULL
 * C06  孙_八               F       2000-02-29  学生        NULL        M1 刘    2023-12-01  C1    1        0
 * C07  Zhou Jiu            M       1985-12-31  工程师      K9 (not in communities) M1  2024-06-30  C3  1  0
 * C08  "; DROP TABLE x;--  NULL    1958-09-09  退休        K2 阳光花园  M2 陈    2005-05-05  C2    0        0
 *
 * customer_features, run 1 (C07 and C08 have no row; run 5 holds a decoy row for C07):
 * id   aum_avg_3m  mobile_share  days_since_last_active_txn
 * C01  800000      0.1           10
 * C02  30000       0.9           3
 * C03  NULL        NULL          400
 * C04  6500000     0.5           20
 * C05  50000       NULL          200
 * C06  49999.99    0.6           NULL
 *
 * customer_scores, run 2 (C03, C07, C08 have no row):
 * id   value_tier  churn_prob  churn_band  rfm_class          lifecycle
 * C01  wealth      0.7         high        important_retain   mature
 * C02  mass        0.1         low         general_develop    growing
 * C04  private     0.3         medium      important_value    mature
 * C05  affluent    0.55        high        general_winback    dormant
 * C06  mass        NULL        NULL        general_develop    new
 *
 * customer_tags: run 3 — T_PAYROLL 代发工资客户 {C02, C05}, T_SENIOR 银发客户 {C01, C04, C08};
 *                run 4 (an older run) — T_PAYROLL {C03}.
 * segments: 1 高潜客群 {C01, C02}; 2 社区活动 {C04}.
 */
const CUSTOMERS: readonly (readonly (string | number | null)[])[] = [
  ['C01', '张三', 'M', '1950-03-10', '退休', 'K1', 'M1', '2010-01-05', 'C2', 1, 0, 'individual'],
  ['C02', '李四', 'F', '1990-07-01', '教师', 'K1', 'M2', '2021-03-15', 'C4', 1, 0, 'individual'],
  ['C03', '王五', null, null, null, 'K2', 'M1', null, null, 0, 1, 'sme_owner'],
  ['C04', '赵六', 'F', '1964-06-30', '医生', 'K2', 'M2', '2015-06-30', 'C3', 1, 0, 'individual'],
  ['C05', '钱%七', 'M', '1980-01-15', '个体经营', 'K1', null, '2019-11-01', 'C5', null, null, 'sme_owner'],
  ['C06', '孙_八', 'F', '2000-02-29', '学生', null, 'M1', '2023-12-01', 'C1', 1, 0, 'individual'],
  ['C07', 'Zhou Jiu', 'M', '1985-12-31', '工程师', 'K9', 'M1', '2024-06-30', 'C3', 1, 0, 'individual'],
  ['C08', '"; DROP TABLE x;--', null, '1958-09-09', '退休', 'K2', 'M2', '2005-05-05', 'C2', 0, 0, 'individual'],
];
const ALL_IDS = CUSTOMERS.map((row) => row[0] as string);

const FULL: CustomerCatalogOptions = {
  featureRunId: 1,
  scoreRunId: 2,
  tagRunId: 3,
  asOf: '2024-06-30',
  tags: [
    { id: 'T_PAYROLL', name: '代发工资客户' },
    { id: 'T_SENIOR', name: '银发客户' },
    { id: 'T_EMPTY', name: '空标签' },
  ],
  segments: [
    { id: 1, name: '高潜客群' },
    { id: 2, name: '社区活动' },
  ],
};

let db: Database.Database;
let catalog: FieldCatalog;

function seed(target: Database.Database): void {
  target.exec(up);
  const insertCustomer = target.prepare(
    `INSERT INTO customers (customer_id, name, gender, birth_date, occupation, community_id, manager_id, open_date, risk_level,
       consent_marketing, do_not_contact, customer_type) VALUES (${new Array(12).fill('?').join(', ')})`,
  );
  for (const row of CUSTOMERS) insertCustomer.run(...row);
  target.exec(`
    INSERT INTO communities (community_id, name, grid_name) VALUES ('K1', '幸福里社区', '一网格'), ('K2', '阳光花园', '二网格');
    INSERT INTO managers (manager_id, name) VALUES ('M1', '刘经理'), ('M2', '陈经理');
    INSERT INTO analysis_runs (run_id, kind, status, started_at) VALUES
      (1, 'features', 'succeeded', '2024-07-01'), (2, 'scores', 'succeeded', '2024-07-01'),
      (3, 'tags', 'succeeded', '2024-07-01'), (4, 'tags', 'succeeded', '2024-06-01'), (5, 'features', 'succeeded', '2024-06-01');
    INSERT INTO customer_features (run_id, customer_id, as_of, aum_avg_3m, mobile_share, days_since_last_active_txn) VALUES
      (1, 'C01', '2024-06-30', 800000, 0.1, 10),
      (1, 'C02', '2024-06-30', 30000, 0.9, 3),
      (1, 'C03', '2024-06-30', NULL, NULL, 400),
      (1, 'C04', '2024-06-30', 6500000, 0.5, 20),
      (1, 'C05', '2024-06-30', 50000, NULL, 200),
      (1, 'C06', '2024-06-30', 49999.99, 0.6, NULL),
      (5, 'C07', '2024-05-31', 9999999, 1, 0);
    INSERT INTO customer_scores (run_id, customer_id, value_tier, churn_prob, churn_band, rfm_class, lifecycle_stage) VALUES
      (2, 'C01', 'wealth', 0.7, 'high', 'important_retain', 'mature'),
      (2, 'C02', 'mass', 0.1, 'low', 'general_develop', 'growing'),
      (2, 'C04', 'private', 0.3, 'medium', 'important_value', 'mature'),
      (2, 'C05', 'affluent', 0.55, 'high', 'general_winback', 'dormant'),
      (2, 'C06', 'mass', NULL, NULL, 'general_develop', 'new');
    INSERT INTO tags (tag_id, name, category, kind, created_at) VALUES
      ('T_PAYROLL', '代发工资客户', '产品', 'system', '2024-07-01'),
      ('T_SENIOR', '银发客户', '人口', 'system', '2024-07-01'),
      ('T_EMPTY', '空标签', '其他', 'rule', '2024-07-01');
    INSERT INTO customer_tags (run_id, tag_id, customer_id) VALUES
      (3, 'T_PAYROLL', 'C02'), (3, 'T_PAYROLL', 'C05'),
      (3, 'T_SENIOR', 'C01'), (3, 'T_SENIOR', 'C04'), (3, 'T_SENIOR', 'C08'),
      (4, 'T_PAYROLL', 'C03');
    INSERT INTO segments (segment_id, name, source, created_at) VALUES (1, '高潜客群', 'manual', '2024-07-01'), (2, '社区活动', 'manual', '2024-07-01');
    INSERT INTO segment_members (segment_id, customer_id) VALUES (1, 'C01'), (1, 'C02'), (2, 'C04');
  `);
}

/** The customer ids a rule selects, sorted. */
function select(rule: RuleNode, over: FieldCatalog = catalog, options?: CompileOptions): string[] {
  const { sql, params } = compileRule(rule, over, options);
  const from = fromClause(over);
  const rows = db
    .prepare(`SELECT c.customer_id AS id FROM ${from.sql} WHERE ${sql} ORDER BY c.customer_id`)
    .all(...from.params, ...params) as { id: string }[];
  return rows.map((row) => row.id);
}

const cond = (field: string, op: RuleOperator, value?: RuleScalar | RuleScalar[] | null): RuleNode =>
  value === undefined ? { field, op } : { field, op, value };

function messages(rule: unknown, over: FieldCatalog = catalog): string[] {
  return validateRule(rule as RuleNode, over).map((issue) => issue.message);
}

function customerCount(): number {
  return (db.prepare('SELECT count(*) AS n FROM customers').get() as { n: number }).n;
}

beforeAll(() => {
  db = new Database(':memory:');
  seed(db);
  catalog = customerFieldCatalog(FULL);
});

afterAll(() => db.close());

describe('catalog', () => {
  it('lists customer columns, derived fields, features, scores, tag and segment, but no ID number or mobile', () => {
    const keys = Object.keys(catalog.fields);
    for (const key of ['customer_id', 'name', 'gender', 'age', 'community_name', 'manager_name', 'aum_avg_3m', 'mobile_share', 'churn_prob', 'value_tier', 'tag', 'segment']) {
      expect(keys).toContain(key);
    }
    expect(keys).not.toContain('id_number');
    expect(keys).not.toContain('mobile');
    expect(catalog.unavailable.id_number).toBe('出于隐私保护，不允许按“证件号码”筛选');
  });

  it('covers every analysable column of customer_features and customer_scores', () => {
    const columns = (table: string) => (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).map((c) => c.name);
    const sqlOf = new Set(catalogFields(catalog).map((f) => f.sql));
    for (const column of columns('customer_features')) {
      if (['run_id', 'customer_id', 'as_of', 'age'].includes(column)) continue;
      expect(sqlOf, column).toContain(`f.${column}`);
    }
    for (const column of columns('customer_scores')) {
      if (['run_id', 'customer_id', 'churn_drivers_json'].includes(column)) continue;
      expect(sqlOf, column).toContain(`s.${column}`);
    }
  });

  it('gives natural Chinese labels, with units in the title', () => {
    const label = (key: string) => catalogField(catalog, key)?.label;
    expect(label('aum_avg_3m')).toBe('近3个月日均资产');
    expect(fieldTitle(catalogField(catalog, 'aum_avg_3m') as RuleField)).toBe('近3个月日均资产(元)');
    expect(label('days_since_last_active_txn')).toBe('距最近主动交易天数');
    expect(label('mobile_share')).toBe('手机银行交易占比');
    expect(label('churn_prob')).toBe('流失概率');
    expect(label('value_tier')).toBe('价值层级');
    expect(label('rfm_class')).toBe('RFM 客户类别');
  });

  it('leaves out fields of runs that do not exist, and says what to run', () => {
    const bare = customerFieldCatalog({ featureRunId: null, scoreRunId: null, tagRunId: null, asOf: '2024-06-30' });
    expect(catalogField(bare, 'aum_avg_3m')).toBeUndefined();
    expect(catalogField(bare, 'value_tier')).toBeUndefined();
    expect(catalogField(bare, 'tag')).toBeUndefined();
    expect(catalogField(bare, 'age')).toBeDefined();
    expect(catalogField(bare, 'segment')).toBeDefined();
    expect(fromClause(bare)).toEqual({
      sql: 'customers c LEFT JOIN communities cm ON cm.community_id = c.community_id LEFT JOIN managers m ON m.manager_id = c.manager_id',
      params: [],
    });
    // Without features, age still works: it is computed from the birth date.
    expect(select({ field: 'age', op: '>=', value: 60 }, bare)).toEqual(['C01', 'C04', 'C08']);
  });

  it('binds run ids in the joins instead of splicing them', () => {
    const from = fromClause(catalog);
    expect(from.params).toEqual([1, 2]);
    expect(from.sql).toContain('f.run_id = ?');
    expect(from.sql).toContain('s.run_id = ?');
  });

  it('never resolves inherited object keys as fields', () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(catalogField(catalog, key)).toBeUndefined();
      expect(columnExpression(catalog, key)).toBeUndefined();
    }
  });

  it('gives whitelisted expressions for sorting', () => {
    expect(columnExpression(catalog, 'aum_avg_3m')).toEqual({ sql: 'f.aum_avg_3m', params: [] });
    expect(columnExpression(catalog, 'age')?.params).toEqual(['2024-06-30', '2024-06-30']);
    expect(columnExpression(catalog, 'tag')).toBeUndefined();
    expect(columnExpression(catalog, 'gender; DROP TABLE customers')).toBeUndefined();
  });

  it('rejects bad options', () => {
    expect(() => customerFieldCatalog({ ...FULL, asOf: '2024-6-30' })).toThrow();
    expect(() => customerFieldCatalog({ ...FULL, featureRunId: 0 })).toThrow();
    expect(() => customerFieldCatalog({ ...FULL, tagRunId: 1.5 })).toThrow();
  });

  it('compiles and runs every operator of every field', () => {
    const sample = (field: RuleField): RuleScalar => {
      if (field.kind === 'tag') return 'T_PAYROLL';
      if (field.kind === 'segment') return 1;
      switch (field.type) {
        case 'text': return 'x';
        case 'number': case 'money': return field.percent ? 0.5 : Math.max(field.min ?? 1, 1);
        case 'date': return '2024-01-01';
        case 'month': return '2024-01';
        case 'enum': return field.enumValues?.[0] ?? 'x';
        case 'boolean': return true;
      }
    };
    let compiled = 0;
    for (const field of catalogFields(catalog)) {
      for (const op of field.operators) {
        const v = sample(field);
        const value = op === 'between' ? [v, v] : op === 'in' || op === 'not_in' ? [v] : op === 'is_null' ? true : v;
        expect(() => select({ field: field.key, op, value }), `${field.key} ${op}`).not.toThrow();
        const { sql, params } = compileRule({ not: { field: field.key, op, value } }, catalog);
        expect(sql.split('?').length - 1, `${field.key} ${op}`).toBe(params.length);
        compiled += 1;
      }
    }
    expect(compiled).toBeGreaterThan(200);
  });
});

describe('operators', () => {
  it('= compares scalars, mapping Chinese enum labels to codes and normalising dates', () => {
    expect(select(cond('gender', '=', 'F'))).toEqual(['C02', 'C04', 'C06']);
    expect(select(cond('gender', '=', '女'))).toEqual(['C02', 'C04', 'C06']);
    expect(select(cond('age', '=', 60))).toEqual(['C04']);
    expect(select(cond('community_id', '=', 'K1'))).toEqual(['C01', 'C02', 'C05']);
    expect(select(cond('open_date', '=', '2015/6/30'))).toEqual(['C04']);
    expect(select(cond('value_tier', '=', '财富'))).toEqual(['C01']);
    expect(select(cond('risk_level', '=', '稳健型'))).toEqual(['C01', 'C08']);
    expect(select(cond('risk_level', '=', 'c2'))).toEqual(['C01', 'C08']);
    expect(select(cond('rfm_class', '=', '重要价值客户'))).toEqual(['C04']);
    expect(select(cond('lifecycle_stage', '=', '沉睡'))).toEqual(['C05']);
    expect(select(cond('manager_name', '=', '刘经理'))).toEqual(['C01', 'C03', 'C06', 'C07']);
  });

  it('!= includes customers whose value is missing', () => {
    // C03 and C08 have no gender: they are not known to be male, so they are included.
    expect(select(cond('gender', '!=', '男'))).toEqual(['C02', 'C03', 'C04', 'C06', 'C08']);
    // C06 has no community.
    expect(select(cond('community_id', '!=', 'K1'))).toEqual(['C03', 'C04', 'C06', 'C07', 'C08']);
  });

  it('> >= < <= compare numbers, amounts and dates', () => {
    expect(select(cond('age', '>', 60))).toEqual(['C01', 'C08']);
    expect(select(cond('age', '>=', 60))).toEqual(['C01', 'C04', 'C08']);
    expect(select(cond('age', '<', 33))).toEqual(['C06']);
    expect(select(cond('age', '<=', 33))).toEqual(['C02', 'C06']);
    // C05 has exactly 50,000; run 5's 9,999,999 for C07 is another run and must not leak in.
    expect(select(cond('aum_avg_3m', '>', 50000))).toEqual(['C01', 'C04']);
    expect(select(cond('aum_avg_3m', '>=', '5万'))).toEqual(['C01', 'C04', 'C05']);
    expect(select(cond('aum_avg_3m', '<', 50000))).toEqual(['C02', 'C06']);
    expect(select(cond('open_date', '<=', '2010-01-05'))).toEqual(['C01', 'C08']);
    expect(select(cond('mobile_share', '>=', '50%'))).toEqual(['C02', 'C04', 'C06']);
    expect(select(cond('churn_prob', '>', 0.5))).toEqual(['C01', 'C05']);
  });

  it('computes age in whole years, a birthday counting from the day itself', () => {
    // C02 turns 34 on 2024-07-01, C04 turned 60 on 2024-06-30.
    expect(select(cond('age', '=', 33))).toEqual(['C02']);
    // Born 29 Feb 2000: still 23 on 28 Feb 2024, 24 on 29 Feb.
    const feb28 = customerFieldCatalog({ ...FULL, asOf: '2024-02-28' });
    const feb29 = customerFieldCatalog({ ...FULL, asOf: '2024-02-29' });
    expect(select(cond('customer_id', '=', 'C06'), feb28)).toEqual(['C06']);
    expect(select({ all: [cond('customer_id', '=', 'C06'), cond('age', '=', 23)] }, feb28)).toEqual(['C06']);
    expect(select({ all: [cond('customer_id', '=', 'C06'), cond('age', '=', 24)] }, feb29)).toEqual(['C06']);
  });

  it('between is inclusive at both ends', () => {
    expect(select(cond('age', 'between', [33, 44]))).toEqual(['C02', 'C05', 'C07']);
    expect(select(cond('aum_avg_3m', 'between', [49999.99, 50000]))).toEqual(['C05', 'C06']);
    expect(select(cond('open_date', 'between', ['2019-01-01', '2023-12-31']))).toEqual(['C02', 'C05', 'C06']);
  });

  it('in matches any listed value; duplicates collapse', () => {
    const risk = compileRule(cond('risk_level', 'in', ['C2', '稳健型', 'c2']), catalog);
    expect(risk.params).toEqual(['C2']);
    expect(select(cond('risk_level', 'in', ['C2', '稳健型']))).toEqual(['C01', 'C08']);
    expect(select(cond('value_tier', 'in', ['财富', '私行']))).toEqual(['C01', 'C04']);
    expect(select(cond('customer_id', 'in', ['C01', 'C03', 'C99']))).toEqual(['C01', 'C03']);
  });

  it('not_in includes customers whose value is missing', () => {
    // C03, C07, C08 have no scores row.
    expect(select(cond('value_tier', 'not_in', ['mass', '金卡']))).toEqual(['C01', 'C03', 'C04', 'C07', 'C08']);
    expect(select(cond('risk_level', 'not_in', ['C1', 'C2', 'C3']))).toEqual(['C02', 'C03', 'C05']);
  });

  it('contains finds a fragment, ignoring Latin case', () => {
    expect(select(cond('name', 'contains', '张'))).toEqual(['C01']);
    expect(select(cond('name', 'contains', 'zhou'))).toEqual(['C07']);
    expect(select(cond('occupation', 'contains', '退'))).toEqual(['C01', 'C08']);
    expect(select(cond('community_name', 'contains', '花园'))).toEqual(['C03', 'C04', 'C08']);
  });

  it('is_null tests for a missing value; false tests for a present one', () => {
    expect(select(cond('gender', 'is_null'))).toEqual(['C03', 'C08']);
    expect(select(cond('gender', 'is_null', true))).toEqual(['C03', 'C08']);
    expect(select(cond('gender', 'is_null', false))).toEqual(['C01', 'C02', 'C04', 'C05', 'C06', 'C07']);
    expect(select(cond('age', 'is_null'))).toEqual(['C03']);
    // C03's row holds NULL; C07 and C08 have no feature row at all.
    expect(select(cond('aum_avg_3m', 'is_null'))).toEqual(['C03', 'C07', 'C08']);
    // C06 has no community, C07's community is not in the register.
    expect(select(cond('community_name', 'is_null'))).toEqual(['C06', 'C07']);
  });

  it('has_tag reads the tag run of the catalog, by tag id or tag name', () => {
    expect(select(cond('tag', 'has_tag', 'T_PAYROLL'))).toEqual(['C02', 'C05']);
    expect(select(cond('tag', 'has_tag', '代发工资客户'))).toEqual(['C02', 'C05']);
    expect(select(cond('tag', 'has_tag', 'T_EMPTY'))).toEqual([]);
    // A tag job writing run 4 reads its own run.
    expect(select(cond('tag', 'has_tag', 'T_PAYROLL'), catalog, { tagRunId: 4 })).toEqual(['C03']);
  });

  it('booleans accept true/false and 是/否', () => {
    expect(select(cond('do_not_contact', '=', true))).toEqual(['C03']);
    expect(select(cond('consent_marketing', '=', '是'))).toEqual(['C01', 'C02', 'C04', 'C06', 'C07']);
    // C05's consent is unknown: not known to have consented.
    expect(select(cond('consent_marketing', '!=', true))).toEqual(['C03', 'C05', 'C08']);
  });

  it('segment membership: = != in not_in, by id or name', () => {
    expect(select(cond('segment', '=', 1))).toEqual(['C01', 'C02']);
    expect(select(cond('segment', '=', '社区活动'))).toEqual(['C04']);
    expect(select(cond('segment', '!=', 1))).toEqual(['C03', 'C04', 'C05', 'C06', 'C07', 'C08']);
    expect(select(cond('segment', 'in', [1, '2']))).toEqual(['C01', 'C02', 'C04']);
    expect(select(cond('segment', 'not_in', [1, 2]))).toEqual(['C03', 'C05', 'C06', 'C07', 'C08']);
  });
});

describe('groups and NULL logic', () => {
  it('all: [] matches everyone, any: [] no one', () => {
    expect(compileRule({ all: [] }, catalog)).toEqual({ sql: '1', params: [] });
    expect(compileRule({ any: [] }, catalog)).toEqual({ sql: '0', params: [] });
    expect(select({ all: [] })).toEqual(ALL_IDS);
    expect(select({ any: [] })).toEqual([]);
    expect(select({ not: { any: [] } })).toEqual(ALL_IDS);
  });

  it('not matches wherever the inner rule does not, including where it is unknown', () => {
    // aum_avg_3m > 100,000: C01, C04. Everyone else is "not", including C03 (NULL) and C07, C08 (no row).
    expect(select({ not: cond('aum_avg_3m', '>', 100000) })).toEqual(['C02', 'C03', 'C05', 'C06', 'C07', 'C08']);
    // Plain SQL NOT would lose the customers without a value; this is the behaviour COALESCE avoids.
    const from = fromClause(catalog);
    const naive = db
      .prepare(`SELECT c.customer_id AS id FROM ${from.sql} WHERE NOT (f.aum_avg_3m > ?) ORDER BY 1`)
      .all(...from.params, 100000) as { id: string }[];
    expect(naive.map((r) => r.id)).toEqual(['C02', 'C05', 'C06']);
    // Double negation gives the original set back.
    expect(select({ not: { not: cond('aum_avg_3m', '>', 100000) } })).toEqual(['C01', 'C04']);
    // not(!=) is "known to equal".
    expect(select({ not: cond('gender', '!=', 'M') })).toEqual(['C01', 'C05', 'C07']);
  });

  it('nests all / any / not several levels deep', () => {
    const rule: RuleNode = {
      any: [
        {
          all: [
            cond('age', '>=', 60),
            { not: { any: [cond('value_tier', '=', 'private'), cond('churn_band', '=', 'high')] } },
          ],
        },
        {
          all: [
            cond('gender', '=', '女'),
            { not: { all: [cond('aum_avg_3m', '>=', 30000), cond('mobile_share', '>', 0.8)] } },
          ],
        },
      ],
    };
    // Branch 1: aged 60+ (C01, C04, C08), minus private or high churn band. C01 is high, C04 private;
    //   C08 has no scores, so the inner any is unknown and the not keeps C08.
    // Branch 2: women (C02, C04, C06), minus those with ≥ 30,000 and mobile share > 80%. C02 has both;
    //   C04 (0.5) and C06 (0.6) stay.
    expect(select(rule)).toEqual(['C04', 'C06', 'C08']);
    expect(describeRule(rule, catalog)).toBe(
      '（年龄 ≥ 60 且 不满足（价值层级 = 私行 或 流失风险 = 高）） 或 （性别 = 女 且 不满足（近3个月日均资产 ≥ 30,000 且 手机银行交易占比 > 80%））',
    );
  });

  it('a single-child group is its child', () => {
    expect(select({ all: [{ any: [cond('gender', '=', 'F')] }] })).toEqual(['C02', 'C04', 'C06']);
  });

  it('parenthesises the output so it can stand next to other SQL', () => {
    const { sql } = compileRule({ any: [cond('gender', '=', 'F'), cond('age', '>', 70)] }, catalog);
    expect(sql.startsWith('(') && sql.endsWith(')')).toBe(true);
    const single = compileRule(cond('age', 'between', [33, 44]), catalog);
    expect(single.sql.startsWith('(')).toBe(true);
    // Used after AND with a rule that has OR at its top, precedence must hold.
    const from = fromClause(catalog);
    const compiled = compileRule({ any: [cond('customer_id', '=', 'C01'), cond('customer_id', '=', 'C02')] }, catalog);
    const rows = db
      .prepare(`SELECT c.customer_id AS id FROM ${from.sql} WHERE c.gender = 'F' AND ${compiled.sql}`)
      .all(...from.params, ...compiled.params) as { id: string }[];
    expect(rows.map((r) => r.id)).toEqual(['C02']);
  });
});

describe('validation', () => {
  it('names an unknown field with the path of the condition', () => {
    expect(messages({ all: [cond('gender', '=', 'F'), { any: [cond('age', '>', 1), cond('nope', '=', 1)] }] })).toEqual([
      '条件 2.2：字段“nope”不存在或不允许筛选',
    ]);
    expect(() => compileRule(cond('nope', '=', 1), catalog)).toThrow(RuleError);
  });

  it('rejects values of the wrong type', () => {
    expect(messages({ all: [cond('gender', '=', 'F'), cond('gender', '=', 'F'), cond('age', '=', 'abc')] })).toEqual([
      '条件 3：“年龄”是数字字段，值“abc”不是数字',
    ]);
    expect(messages({ all: [cond('open_date', '>', '2024-13-01')] })).toEqual([
      '条件 1：“开户日期”是日期字段，值“2024-13-01”不是有效日期（请写成 YYYY-MM-DD）',
    ]);
    expect(messages({ all: [cond('gender', '=', 'X')] })).toEqual(['条件 1：“性别”没有“X”这个取值，可选：男、女']);
    expect(messages({ all: [cond('do_not_contact', '=', '也许')] })).toEqual(['条件 1：“勿扰”只能是 是 或 否，值“也许”无法识别']);
    expect(messages({ all: [cond('age', '=', true)] })).toEqual(['条件 1：“年龄”是数字字段，值“true”不是数字']);
    expect(messages({ all: [cond('mobile_share', '>', 50)] })).toEqual([
      '条件 1：“手机银行交易占比”应在 0% 到 100% 之间，值“50”超出范围（占比请写成 0.35 或 35%）',
    ]);
    expect(messages({ all: [{ field: 'age', op: '=', value: { $gt: 1 } }] })).toEqual(['条件 1：“年龄”的取值“{"$gt":1}”无法识别']);
  });

  it('checks the number of values each operator takes', () => {
    expect(messages({ all: [cond('age', 'between', [60])] })).toEqual(['条件 1：“介于”需要两个值']);
    expect(messages({ all: [cond('age', 'between', 60)] })).toEqual(['条件 1：“介于”需要两个值']);
    expect(messages({ all: [cond('age', 'between', [60, 18])] })).toEqual(['条件 1：“介于”的下限 60 大于上限 18']);
    expect(messages({ all: [cond('gender', 'in', [])] })).toEqual(['条件 1：“属于”需要至少一个取值']);
    expect(messages({ all: [cond('gender', 'not_in', 'F')] })).toEqual(['条件 1：“不属于”需要一组取值']);
    expect(messages({ all: [cond('age', '>')] })).toEqual(['条件 1：“年龄大于”需要一个取值']);
    expect(messages({ all: [cond('age', '>', [1, 2])] })).toEqual(['条件 1：“大于”只接受一个取值，多个取值请用“属于”']);
    expect(messages({ all: [cond('name', 'contains', '  ')] })).toEqual(['条件 1：“客户姓名包含”需要一个取值']);
    expect(messages({ all: [cond('gender', 'is_null', 'yes')] })).toEqual(['条件 1：“为空”的取值只能是 是 或 否']);
    const tooMany = Array.from({ length: MAX_LIST_VALUES + 1 }, (_, i) => `C${i}`);
    expect(messages({ all: [cond('customer_id', 'in', tooMany)] })).toEqual(['条件 1：“属于”最多 5,000 个取值，当前 5,001 个']);
    expect(messages({ all: [cond('customer_id', 'in', tooMany.slice(0, MAX_LIST_VALUES))] })).toEqual([]);
    const list = tooMany.slice(0, MAX_LIST_VALUES);
    expect(messages({ all: Array.from({ length: 7 }, () => cond('customer_id', 'in', list)) })).toEqual([
      '规则：取值合计 35,000 个，超过上限 30,000，请拆分规则或先保存为客群',
    ]);
    expect(messages({ any: Array.from({ length: 2001 }, () => cond('gender', '=', 'F')) })).toEqual([
      '规则：条件超过 2,000 个，请拆分规则或先保存为客群',
    ]);
  });

  it('allows has_tag only on the tag field, and only known tags', () => {
    expect(messages({ all: [cond('gender', 'has_tag', 'T_PAYROLL')] })).toEqual(['条件 1：“有标签”只能用于“标签”字段']);
    expect(messages({ all: [cond('tag', '=', 'T_PAYROLL')] })).toEqual(['条件 1：“标签”不支持“等于”，可用：有标签']);
    expect(messages({ all: [cond('tag', 'has_tag', 'T_GONE')] })).toEqual(['条件 1：标签“T_GONE”不存在']);
    expect(messages({ all: [cond('segment', '=', 99)] })).toEqual(['条件 1：客群“99”不存在']);
  });

  it('checks operators against the field type', () => {
    expect(messages({ all: [cond('age', 'contains', '6')] })).toEqual([
      '条件 1：“年龄”不支持“包含”，可用：等于、不等于、大于、大于等于、小于、小于等于、介于、属于、不属于、为空',
    ]);
    expect(messages({ all: [cond('gender', '>', 'M')] })).toEqual(['条件 1：“性别”不支持“大于”，可用：等于、不等于、属于、不属于、为空']);
    expect(messages({ all: [{ field: 'age', op: 'LIKE', value: 1 }] })).toEqual(['条件 1：不支持的比较方式“LIKE”']);
  });

  it('explains fields that need a run first, and PII fields', () => {
    const bare = customerFieldCatalog({ featureRunId: null, scoreRunId: null, tagRunId: null, asOf: '2024-06-30' });
    expect(messages({ all: [cond('aum_avg_3m', '>', 1)] }, bare)).toEqual(['条件 1：字段“近3个月日均资产”需要先运行客户分析']);
    expect(messages({ all: [cond('value_tier', '=', '财富')] }, bare)).toEqual(['条件 1：字段“价值层级”需要先运行客户分析']);
    expect(messages({ all: [cond('tag', 'has_tag', 'T_PAYROLL')] }, bare)).toEqual(['条件 1：字段“标签”需要先运行标签计算']);
    expect(messages({ all: [cond('id_number', '=', '110101199001011234'), cond('mobile', 'contains', '138')] })).toEqual([
      '条件 1：出于隐私保护，不允许按“证件号码”筛选',
      '条件 2：出于隐私保护，不允许按“手机号码”筛选',
    ]);
  });

  it('reports every problem at once, on the root too', () => {
    expect(messages(cond('nope', '=', 1))).toEqual(['规则：字段“nope”不存在或不允许筛选']);
    const error = (() => {
      try {
        compileRule({ all: [cond('nope', '=', 1), { not: cond('age', 'between', [1]) }] }, catalog);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(RuleError);
    expect((error as RuleError).issues.map((i) => [i.code, i.path])).toEqual([
      ['unknown_field', [1]],
      ['missing_value', [2]],
    ]);
    expect((error as RuleError).message).toBe('规则有误：条件 1：字段“nope”不存在或不允许筛选；条件 2：“介于”需要两个值');
  });

  it('rejects malformed nodes', () => {
    expect(messages(null)).toEqual(['规则：不是有效的条件或条件组']);
    expect(messages({ all: [], any: [] })).toEqual(['规则：条件组“全部满足”不能同时带有其他属性']);
    expect(messages({ all: 'x' })).toEqual(['规则：条件组的内容应是条件列表']);
    expect(messages({ all: [{ field: 'gender', op: '=', value: 'F', sql: '1=1' }] })).toEqual(['条件 1：条件带有无法识别的属性“sql”']);
    expect(messages({ all: [{ op: '=', value: 'F' }] })).toEqual(['条件 1：没有选择字段']);
    expect(messages({ all: [[]] })).toEqual(['条件 1：不是有效的条件或条件组']);
    let deep: RuleNode = cond('age', '>', 1);
    for (let i = 0; i < 12; i++) deep = { not: deep };
    expect(messages(deep)).toEqual(['规则：嵌套超过 12 层，请简化规则']);
  });
});

describe('SQL injection', () => {
  const INJECTED_FIELDS = [
    'gender; DROP TABLE customers',
    'c.name) OR 1=1 --',
    'c.gender',
    'GENDER',
    "gender' OR '1'='1",
    '__proto__',
    'constructor',
    '1=1',
  ];
  const INJECTED_VALUES = ["' OR '1'='1", '%', '_', '"; DROP TABLE x;--', "'); DROP TABLE customers; --", '1 OR 1=1', 'x\u0000y'];

  /** Every word of the SQL is a keyword, a function or a whitelisted column: no user text can be there. */
  const ALLOWED_WORDS = new Set([
    'AND', 'OR', 'NOT', 'IS', 'NULL', 'IN', 'BETWEEN', 'EXISTS', 'SELECT', 'FROM', 'WHERE', 'COALESCE', 'CAST', 'AS',
    'INTEGER', 'substr', 'instr', 'lower', 'customer_tags', 'segment_members', 'ct', 'sm',
    'ct.customer_id', 'ct.run_id', 'ct.tag_id', 'sm.customer_id', 'sm.segment_id', 'c.birth_date',
    ...catalogFieldsOf().map((f) => f.sql).filter((sql) => /^\w+\.\w+$/.test(sql)),
  ]);
  function catalogFieldsOf(): RuleField[] {
    return catalogFields(customerFieldCatalog(FULL));
  }
  function assertClean(sql: string, injected: string): void {
    // A lone '_' is part of every column name; the word whitelist below is what proves it was not spliced.
    if (injected.length > 1) expect(sql).not.toContain(injected);
    expect(sql).not.toMatch(/['";]|--|\u0000/);
    const words = sql.match(/[A-Za-z_][A-Za-z0-9_.]*/g) ?? [];
    for (const word of words) expect(ALLOWED_WORDS, word).toContain(word);
    expect(sql.replace(/[A-Za-z_][A-Za-z0-9_.]*/g, '')).toMatch(/^[\s()?,<>=!0-9]*$/);
  }

  it('rejects field names that are not catalog keys', () => {
    for (const field of INJECTED_FIELDS) {
      for (const op of ['=', 'contains', 'is_null'] as const) {
        const issues = validateRule({ all: [{ field, op, value: 'x' }] }, catalog);
        expect(issues.map((i) => i.code), field).toEqual(['unknown_field']);
        expect(() => compileRule({ field, op, value: 'x' }, catalog)).toThrow(RuleError);
      }
    }
    const parsed = JSON.parse('{"field":"__proto__","op":"=","value":1}') as RuleNode;
    expect(() => compileRule(parsed, catalog)).toThrow(RuleError);
  });

  it('binds hostile values as parameters and matches them literally', () => {
    // % and _ are literal characters, not LIKE wildcards: each matches only the name that contains it.
    expect(select(cond('name', 'contains', '%'))).toEqual(['C05']);
    expect(select(cond('name', 'contains', '_'))).toEqual(['C06']);
    expect(select(cond('name', 'contains', '"; DROP TABLE x;--'))).toEqual(['C08']);
    expect(select(cond('name', '=', '"; DROP TABLE x;--'))).toEqual(['C08']);
    expect(select(cond('name', 'contains', "' OR '1'='1"))).toEqual([]);
    expect(select(cond('occupation', '=', "' OR '1'='1"))).toEqual([]);
    expect(select(cond('occupation', '!=', "' OR '1'='1"))).toEqual(ALL_IDS);
    expect(select(cond('customer_id', 'in', INJECTED_VALUES))).toEqual([]);
    expect(select(cond('community_name', 'not_in', INJECTED_VALUES))).toEqual(ALL_IDS);
    expect(select(cond('tag', 'has_tag', "' OR '1'='1"), customerFieldCatalog({ ...FULL, tags: undefined }))).toEqual([]);

    for (const value of INJECTED_VALUES) {
      for (const rule of [
        cond('name', 'contains', value),
        cond('occupation', '=', value),
        cond('occupation', '!=', value),
        cond('manager_name', 'in', [value, 'x']),
        { not: cond('community_name', 'not_in', [value]) },
      ]) {
        const { sql, params } = compileRule(rule, catalog);
        assertClean(sql, value);
        expect(params).toContain(value.trim());
        expect(() => select(rule)).not.toThrow();
      }
    }
    // Values that are not valid for a typed field are rejected rather than compared.
    for (const value of INJECTED_VALUES) {
      expect(validateRule(cond('gender', '=', value), catalog).map((i) => i.code)).toEqual(['wrong_value']);
      expect(validateRule(cond('age', '>', value), catalog).map((i) => i.code)).toEqual(['wrong_value']);
      expect(validateRule(cond('open_date', '<', value), catalog).map((i) => i.code)).toEqual(['wrong_value']);
    }
    expect(customerCount()).toBe(CUSTOMERS.length);
  });

  it('never puts user text into the SQL of any field and operator', () => {
    for (const field of catalogFields(catalog)) {
      if (field.type !== 'text' || field.kind !== 'column') continue;
      for (const op of field.operators) {
        for (const value of INJECTED_VALUES) {
          const rule: RuleNode = op === 'in' || op === 'not_in' ? { field: field.key, op, value: [value] } : op === 'is_null' ? { field: field.key, op } : { field: field.key, op, value };
          const { sql } = compileRule({ not: { all: [rule, rule] } }, catalog);
          assertClean(sql, value);
          select(rule);
        }
      }
    }
  });

  it('leaves the database untouched', () => {
    const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toContain('customers');
    expect(tables).not.toContain('x');
    expect(customerCount()).toBe(CUSTOMERS.length);
  });
});

describe('describeRule', () => {
  it('writes a rule as a Chinese sentence with labels instead of codes', () => {
    const rule: RuleNode = {
      all: [cond('age', '>=', 60), cond('value_tier', 'in', ['wealth', 'private']), { not: cond('tag', 'has_tag', 'T_PAYROLL') }],
    };
    expect(describeRule(rule, catalog)).toBe('年龄 ≥ 60 且 价值层级 属于 财富、私行 且 没有标签 代发工资客户');
  });

  it('reads a negated condition as its opposite and a negated group as 不满足', () => {
    const d = (rule: RuleNode) => describeRule({ not: rule }, catalog);
    expect(d(cond('lifecycle_stage', '=', 'churned'))).toBe('生命周期阶段 ≠ 流失');
    expect(d(cond('gender', '!=', 'M'))).toBe('性别 = 男');
    expect(d(cond('value_tier', 'in', ['affluent', 'wealth']))).toBe('价值层级 不属于 金卡、财富');
    expect(d(cond('risk_level', 'not_in', ['C1']))).toBe('风险承受等级 属于 C1 保守型');
    expect(d(cond('community_name', 'is_null'))).toBe('所属社区名称 不为空');
    expect(d(cond('name', 'contains', '张'))).toBe('客户姓名 不包含 “张”');
    expect(d(cond('age', 'between', [18, 35]))).toBe('年龄 不在 18 至 35 之间');
    expect(d(cond('aum_avg_3m', '>', 500000))).toBe('近3个月日均资产 不超过 500,000');
    expect(d(cond('age', '>=', 60))).toBe('年龄 未达到 60');
    expect(d({ not: cond('age', '>=', 60) })).toBe('年龄 ≥ 60');
    expect(d({ all: [cond('age', '>=', 60), cond('gender', '=', 'F')] })).toBe('不满足（年龄 ≥ 60 且 性别 = 女）');
  });

  it('covers every operator', () => {
    const d = (rule: RuleNode) => describeRule(rule, catalog);
    expect(d(cond('gender', '!=', 'M'))).toBe('性别 ≠ 男');
    expect(d(cond('aum_avg_3m', '>', 500000))).toBe('近3个月日均资产 > 500,000');
    expect(d(cond('aum_avg_3m', '<', '5万'))).toBe('近3个月日均资产 < 50,000');
    expect(d(cond('days_since_last_active_txn', '<=', 90))).toBe('距最近主动交易天数 ≤ 90');
    expect(d(cond('age', 'between', [18, 35]))).toBe('年龄 介于 18 至 35');
    expect(d(cond('risk_level', 'not_in', ['C1', 'C2']))).toBe('风险承受等级 不属于 C1 保守型、C2 稳健型');
    expect(d(cond('name', 'contains', '张'))).toBe('客户姓名 包含 “张”');
    expect(d(cond('community_name', 'is_null'))).toBe('所属社区名称 为空');
    expect(d(cond('community_name', 'is_null', false))).toBe('所属社区名称 不为空');
    expect(d(cond('do_not_contact', '=', false))).toBe('勿扰 = 否');
    expect(d(cond('churn_prob', '>=', 0.35))).toBe('流失概率 ≥ 35%');
    expect(d(cond('segment', '=', 1))).toBe('所属客群 = 高潜客群');
    expect(d({ all: [] })).toBe('全部客户');
    expect(d({ any: [] })).toBe('无客户');
  });

  it('shows what it cannot resolve as written', () => {
    expect(describeRule(cond('nope', '=', 'x'), catalog)).toBe('nope = x');
    expect(describeRule(cond('age', '=', 'abc'), catalog)).toBe('年龄 = abc');
  });
});
