/**
 * A large customer workspace for the UI-query benchmark, filled with SQL in seconds rather than through
 * the importer (the demo generator is the realistic path; this one only has to be big and plausibly
 * shaped). Deterministic: values come from integer hashes of the row number, so every run measures the
 * same data. NULLs are planted in the sortable columns so that paging crosses the null boundary.
 */
import { createHash } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { MIGRATIONS } from '../../electron/engine/db/migrations';
import { openWorkspace, type Db } from '../../electron/engine/db/workspace';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤欧阳';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽';
const OCCUPATIONS = ['教师', '医生', '公务员', '个体经营', '企业职员', '工人', '退休', '学生', '自由职业', '农民'];

export interface CustomerWorkspaceOptions {
  customers: number;
  /** Balance months ending at this one, for the AUM summary. */
  latestMonth: string;
  months: number;
}

/** Identifies a finished fixture: its options and the schema it was built with. */
function fixtureKey(options: CustomerWorkspaceOptions): string {
  const schema = createHash('sha256').update(MIGRATIONS.map((m) => m.up).join('\n')).digest('hex').slice(0, 16);
  return JSON.stringify({ ...options, schema });
}

/** Creates (or reuses, when `reuse` and the file is complete and of the current schema) a workspace at `path`. */
export function buildCustomerWorkspace(path: string, options: CustomerWorkspaceOptions, reuse = true): Db {
  const key = fixtureKey(options);
  if (reuse && existsSync(path)) {
    const db = openWorkspace(path);
    const done = db.prepare("SELECT 1 FROM settings WHERE key = 'bench.fixture' AND value_json = ?").get(key);
    if (done) return db;
    db.close();
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  const db = openWorkspace(path, { create: true });
  fill(db, options);
  db.prepare("INSERT INTO settings (key, value_json, updated_at) VALUES ('bench.fixture', ?, ?)").run(key, new Date().toISOString());
  db.pragma('wal_checkpoint(TRUNCATE)');
  return db;
}

function fill(db: Db, options: CustomerWorkspaceOptions): void {
  const { customers } = options;
  db.transaction(() => {
    const insertCommunity = db.prepare('INSERT INTO communities (community_id, name, grid_id, grid_name, district, households, manager_id) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (let i = 1; i <= 12; i++) insertCommunity.run(`SQ${String(i).padStart(3, '0')}`, `第${i}社区`, `WG${i}`, `第${i}网格`, '东门街道', 3000 + i * 100, `M${String(i).padStart(3, '0')}`);
    const insertManager = db.prepare('INSERT INTO managers (manager_id, name, team) VALUES (?, ?, ?)');
    for (let i = 1; i <= 40; i++) insertManager.run(`M${String(i).padStart(3, '0')}`, `经理${i}`, `团队${(i % 4) + 1}`);

    // h1, h2, h3: independent-looking integer hashes of the row number.
    db.prepare(
      `INSERT INTO customers (customer_id, name, gender, birth_date, id_number, mobile, occupation, customer_type, community_id, manager_id,
         open_date, risk_level, risk_assessed_at, consent_marketing, do_not_contact)
       WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < @count),
       r AS (SELECT n, (n * 2654435761) % 4294967291 AS h1, (n * 40503 + 12345) % 1000003 AS h2, (n * 69069 + 1) % 999983 AS h3 FROM seq),
       d AS (SELECT *, CASE WHEN h3 % 37 = 0 THEN NULL ELSE date('1940-01-01', '+' || (h1 % 24000) || ' days') END AS birth FROM r)
       SELECT printf('C%07d', n),
         CASE WHEN h2 % 211 = 0 THEN NULL ELSE substr(@surnames, h1 % length(@surnames) + 1, 1) || substr(@given, h2 % length(@given) + 1, 1) || CASE WHEN h3 % 3 > 0 THEN substr(@given, h3 % length(@given) + 1, 1) ELSE '' END END,
         CASE WHEN h3 % 53 = 0 THEN NULL WHEN h1 % 2 = 0 THEN 'M' ELSE 'F' END,
         birth,
         '110101' || coalesce(replace(birth, '-', ''), '19800101') || printf('%04d', n % 10000),
         '13' || printf('%09d', (h1 * 7) % 1000000000),
         json_extract(@occupations, '$[' || (h2 % 10) || ']'),
         CASE WHEN h3 % 9 = 0 THEN 'sme_owner' ELSE 'individual' END,
         CASE WHEN h2 % 97 = 0 THEN NULL ELSE printf('SQ%03d', h2 % 12 + 1) END,
         CASE WHEN h3 % 89 = 0 THEN NULL ELSE printf('M%03d', h3 % 40 + 1) END,
         CASE WHEN h1 % 101 = 0 THEN NULL ELSE date('2000-01-01', '+' || (h2 % 8900) || ' days') END,
         CASE WHEN h2 % 19 = 0 THEN NULL ELSE 'C' || (h1 % 5 + 1) END,
         date('2022-01-01', '+' || (h3 % 900) || ' days'),
         h1 % 4 > 0,
         h2 % 25 = 0
       FROM d`,
    ).run({ count: customers, surnames: SURNAMES, given: GIVEN, occupations: JSON.stringify(OCCUPATIONS) });

    // Balances for the last `months` months; about 2% of customers have no balance at all.
    db.prepare(
      `WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < ? - 1)
       INSERT INTO balances (customer_id, month, aum, deposit, wealth, loan)
       SELECT c.customer_id, strftime('%Y-%m', ? || '-01', '-' || k.i || ' months'),
         round(exp(((c.rowid * 2654435761) % 1000) / 72.0 + k.i * 0.01), 2), NULL, NULL, NULL
       FROM customers c CROSS JOIN k
       WHERE c.rowid % 50 <> 0
       ORDER BY c.customer_id, k.i`,
    ).run(options.months, options.latestMonth);

    // One customer-analysis run with scores, so that score columns show and churn_prob sorts.
    const runId = Number(
      db.prepare("INSERT INTO analysis_runs (kind, params_json, as_of, status, started_at, finished_at) VALUES ('customer-analysis', '{}', ?, 'succeeded', ?, ?)")
        .run(`${options.latestMonth}-28`, new Date().toISOString(), new Date().toISOString()).lastInsertRowid,
    );
    db.prepare(
      `INSERT INTO customer_scores (run_id, customer_id, value_tier, lifecycle_stage, churn_prob, churn_band)
       SELECT ?, customer_id,
         CASE WHEN h % 100 < 70 THEN 'mass' WHEN h % 100 < 92 THEN 'affluent' WHEN h % 100 < 99 THEN 'wealth' ELSE 'private' END,
         json_extract('["new","growing","mature","declining","dormant","churned"]', '$[' || (h % 6) || ']'),
         CASE WHEN h % 41 = 0 THEN NULL ELSE (h % 10000) / 10000.0 END,
         CASE WHEN h % 10000 >= 5000 THEN 'high' WHEN h % 10000 >= 2000 THEN 'medium' ELSE 'low' END
       FROM (SELECT customer_id, (rowid * 40503 + 777) % 1000003 AS h FROM customers)`,
    ).run(runId);
  })();
}
