/**
 * The workspace schema of DESIGN.md §3. Source tables carry `import_batch_id`, the batch that last wrote the
 * row: it tells an upsert from a repeated key within one file, and lets the audit trace every row to its file.
 *
 * References from fact tables to customers and products are foreign keys, so that a transaction can never
 * point at a customer who does not exist. References to communities and managers are soft: a branch often
 * receives its customer list before the community register, and data quality reports unmatched codes.
 */
export const up = /* sql */ `
CREATE TABLE communities (
  community_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  grid_id TEXT,
  grid_name TEXT,
  district TEXT,
  households INTEGER,
  population INTEGER,
  share_age_60_plus REAL,
  avg_house_price REAL,
  manager_id TEXT,
  import_batch_id INTEGER
);

CREATE TABLE managers (
  manager_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  team TEXT,
  import_batch_id INTEGER
);

CREATE TABLE customers (
  customer_id TEXT PRIMARY KEY,
  name TEXT,
  gender TEXT CHECK (gender IN ('M', 'F')),
  birth_date TEXT,
  id_number TEXT,
  mobile TEXT,
  occupation TEXT,
  education TEXT,
  marital_status TEXT,
  income_band TEXT,
  customer_type TEXT CHECK (customer_type IN ('individual', 'sme_owner')),
  community_id TEXT,
  manager_id TEXT,
  open_date TEXT,
  risk_level TEXT CHECK (risk_level IN ('C1', 'C2', 'C3', 'C4', 'C5')),
  risk_assessed_at TEXT,
  consent_marketing INTEGER,
  do_not_contact INTEGER,
  import_batch_id INTEGER
);
CREATE INDEX customers_community ON customers (community_id);
CREATE INDEX customers_manager ON customers (manager_id);
CREATE INDEX customers_name ON customers (name);

CREATE TABLE products (
  product_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  risk_rating TEXT CHECK (risk_rating IN ('R1', 'R2', 'R3', 'R4', 'R5')),
  min_amount REAL,
  term_months INTEGER,
  min_age INTEGER,
  max_age INTEGER,
  active INTEGER NOT NULL DEFAULT 1,
  import_batch_id INTEGER
);

CREATE TABLE holdings (
  customer_id TEXT NOT NULL REFERENCES customers (customer_id) ON DELETE CASCADE,
  product_id TEXT NOT NULL REFERENCES products (product_id),
  opened_at TEXT NOT NULL,
  closed_at TEXT,
  balance REAL,
  import_batch_id INTEGER,
  PRIMARY KEY (customer_id, product_id, opened_at)
) WITHOUT ROWID;
CREATE INDEX holdings_product ON holdings (product_id);

CREATE TABLE balances (
  customer_id TEXT NOT NULL REFERENCES customers (customer_id) ON DELETE CASCADE,
  month TEXT NOT NULL,
  aum REAL NOT NULL,
  deposit REAL,
  wealth REAL,
  loan REAL,
  import_batch_id INTEGER,
  PRIMARY KEY (customer_id, month)
) WITHOUT ROWID;
CREATE INDEX balances_month ON balances (month);

CREATE TABLE transactions (
  txn_id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers (customer_id) ON DELETE CASCADE,
  txn_date TEXT NOT NULL,
  channel TEXT,
  type TEXT,
  amount REAL NOT NULL,
  direction TEXT CHECK (direction IN ('out', 'in')),
  product_id TEXT,
  import_batch_id INTEGER
);
CREATE INDEX transactions_customer_date ON transactions (customer_id, txn_date);

CREATE TABLE interactions (
  customer_id TEXT NOT NULL REFERENCES customers (customer_id) ON DELETE CASCADE,
  date TEXT NOT NULL,
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  outcome TEXT,
  score REAL,
  import_batch_id INTEGER,
  PRIMARY KEY (customer_id, date, channel, kind)
) WITHOUT ROWID;
CREATE INDEX interactions_kind_date ON interactions (kind, date);

CREATE TABLE campaign_responses (
  campaign_id TEXT NOT NULL,
  customer_id TEXT NOT NULL REFERENCES customers (customer_id) ON DELETE CASCADE,
  responded_at TEXT,
  outcome TEXT NOT NULL CHECK (outcome IN ('contacted', 'responded', 'converted')),
  amount REAL,
  import_batch_id INTEGER,
  PRIMARY KEY (campaign_id, customer_id)
) WITHOUT ROWID;

-- Bookkeeping

CREATE TABLE import_batches (
  batch_id INTEGER PRIMARY KEY,
  entity TEXT NOT NULL,
  file_name TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  file_bytes INTEGER NOT NULL,
  encoding TEXT,
  delimiter TEXT,
  sheet TEXT,
  policy TEXT NOT NULL,
  mapping_json TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('committed', 'rejected')),
  rows_read INTEGER NOT NULL,
  rows_loaded INTEGER NOT NULL,
  rows_rejected INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  message TEXT
);

CREATE TABLE import_errors (
  batch_id INTEGER NOT NULL REFERENCES import_batches (batch_id) ON DELETE CASCADE,
  row_number INTEGER NOT NULL,
  column_name TEXT,
  value TEXT,
  message TEXT NOT NULL
);
CREATE INDEX import_errors_batch ON import_errors (batch_id, row_number);

CREATE TABLE mapping_templates (
  name TEXT PRIMARY KEY,
  entity TEXT NOT NULL,
  mapping_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value_json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  action TEXT NOT NULL,
  params_json TEXT NOT NULL DEFAULT '{}',
  row_count INTEGER,
  output_sha256 TEXT,
  reason TEXT
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END;

-- Derived: written by analysis runs, each stamped with run_id

CREATE TABLE analysis_runs (
  run_id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  params_json TEXT NOT NULL DEFAULT '{}',
  as_of TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
  metrics_json TEXT,
  timings_json TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT
);

CREATE TABLE customer_features (
  run_id INTEGER NOT NULL REFERENCES analysis_runs (run_id) ON DELETE CASCADE,
  customer_id TEXT NOT NULL,
  as_of TEXT NOT NULL,
  age REAL,
  tenure_months REAL,
  aum_latest REAL,
  aum_avg_3m REAL,
  aum_avg_12m REAL,
  aum_trend_slope_6m REAL,
  aum_change_pct_6m REAL,
  deposit_share REAL,
  wealth_share REAL,
  loan_share REAL,
  product_count REAL,
  category_count REAL,
  txn_count_30d REAL,
  txn_count_90d REAL,
  txn_count_365d REAL,
  days_since_last_active_txn REAL,
  mobile_share REAL,
  counter_share REAL,
  atm_share REAL,
  inflow_3m REAL,
  outflow_3m REAL,
  complaints_12m REAL,
  months_since_risk_assessment REAL,
  PRIMARY KEY (run_id, customer_id)
) WITHOUT ROWID;

CREATE TABLE customer_scores (
  run_id INTEGER NOT NULL REFERENCES analysis_runs (run_id) ON DELETE CASCADE,
  customer_id TEXT NOT NULL,
  rfm_r INTEGER,
  rfm_f INTEGER,
  rfm_m INTEGER,
  rfm_class TEXT,
  value_tier TEXT,
  lifecycle_stage TEXT,
  cluster_id INTEGER,
  churn_prob REAL,
  churn_band TEXT,
  churn_drivers_json TEXT,
  PRIMARY KEY (run_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX customer_scores_customer ON customer_scores (customer_id, run_id);

CREATE TABLE tags (
  tag_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  category TEXT NOT NULL,
  description TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('system', 'rule')),
  rule_json TEXT,
  created_at TEXT NOT NULL
);

CREATE TABLE customer_tags (
  run_id INTEGER NOT NULL REFERENCES analysis_runs (run_id) ON DELETE CASCADE,
  tag_id TEXT NOT NULL REFERENCES tags (tag_id) ON DELETE CASCADE,
  customer_id TEXT NOT NULL,
  PRIMARY KEY (run_id, tag_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX customer_tags_customer ON customer_tags (customer_id, run_id);

CREATE TABLE segments (
  segment_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  description TEXT,
  rule_json TEXT,
  source TEXT NOT NULL CHECK (source IN ('rule', 'kmeans', 'manual')),
  run_id INTEGER REFERENCES analysis_runs (run_id) ON DELETE SET NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE segment_members (
  segment_id INTEGER NOT NULL REFERENCES segments (segment_id) ON DELETE CASCADE,
  customer_id TEXT NOT NULL,
  PRIMARY KEY (segment_id, customer_id)
) WITHOUT ROWID;

CREATE TABLE models (
  model_id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  params_json TEXT NOT NULL DEFAULT '{}',
  metrics_json TEXT,
  model_json TEXT NOT NULL,
  run_id INTEGER REFERENCES analysis_runs (run_id) ON DELETE SET NULL,
  created_at TEXT NOT NULL
);

CREATE TABLE recommendations (
  run_id INTEGER NOT NULL REFERENCES analysis_runs (run_id) ON DELETE CASCADE,
  customer_id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  rank INTEGER NOT NULL,
  score REAL NOT NULL,
  suitability TEXT NOT NULL,
  reasons_json TEXT NOT NULL,
  PRIMARY KEY (run_id, customer_id, product_id)
) WITHOUT ROWID;

CREATE TABLE campaigns (
  campaign_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  product_id TEXT,
  rule_json TEXT,
  params_json TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'draft',
  created_at TEXT NOT NULL
);

CREATE TABLE campaign_members (
  campaign_id TEXT NOT NULL REFERENCES campaigns (campaign_id) ON DELETE CASCADE,
  customer_id TEXT NOT NULL,
  member_group TEXT NOT NULL CHECK (member_group IN ('target', 'control')),
  manager_id TEXT,
  PRIMARY KEY (campaign_id, customer_id)
) WITHOUT ROWID;
`;
