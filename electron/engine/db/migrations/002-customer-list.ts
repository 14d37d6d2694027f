/**
 * Indexes and derived tables for the customer list (DESIGN.md §5: virtual scroll, filter, sort, keyset
 * paging over SQL on a million customers, every page in well under 100 ms).
 *
 * Keyset paging reads `ORDER BY <sort column>, customer_id LIMIT n` straight off an index, so each sortable
 * column gets an index on (column, customer_id). A plain (column) index is not enough: it carries the
 * rowid, not customer_id, so SQLite would have to sort every run of equal values (200,000 customers share a
 * risk level) to honour the tie-break. The composite indexes replace the single-column ones of migration 1,
 * which they serve just as well for lookups.
 *
 * `customer_summary` holds per-customer figures the list shows and sorts by but that live in other tables
 * (AUM comes from `balances`): an index cannot span a join, so sorting a million customers by AUM needs the
 * figure in a table of its own.
 *
 * `customer_name_chars` indexes the characters of every name, for the search box ("name contains"). A
 * substring test cannot use a B-tree index and scanning a million names costs 50 ms or more per keystroke;
 * looking up the term's rarest character and testing only those customers costs a few. lower() folds ASCII
 * letters, so Latin names match regardless of case. `char_positions` (1..2000, the longest text the importer
 * keeps) splits names into characters in plain SQL.
 *
 * Both are maintained in bulk by refreshCustomerSummary after imports, not by triggers: a trigger costs
 * some 15 µs per customer row, which would multiply the time of a million-customer load.
 */
export const up = /* sql */ `
DROP INDEX customers_name;
DROP INDEX customers_community;
DROP INDEX customers_manager;
CREATE INDEX customers_name ON customers (name, customer_id);
CREATE INDEX customers_community ON customers (community_id, customer_id);
CREATE INDEX customers_manager ON customers (manager_id, customer_id);
CREATE INDEX customers_open_date ON customers (open_date, customer_id);
CREATE INDEX customers_birth_date ON customers (birth_date, customer_id);
CREATE INDEX customers_risk_level ON customers (risk_level, customer_id);

CREATE TABLE customer_summary (
  customer_id TEXT PRIMARY KEY REFERENCES customers (customer_id) ON DELETE CASCADE,
  -- The workspace's latest balance month the figures below are for.
  balance_month TEXT,
  aum_latest REAL,
  aum_avg_3m REAL,
  -- The name whose characters customer_name_chars holds for this customer.
  name_indexed TEXT,
  -- When the row last changed.
  updated_at TEXT
) WITHOUT ROWID;
CREATE INDEX customer_summary_aum_latest ON customer_summary (aum_latest, customer_id);
CREATE INDEX customer_summary_aum_avg_3m ON customer_summary (aum_avg_3m, customer_id);

CREATE TABLE char_positions (n INTEGER PRIMARY KEY);
INSERT INTO char_positions (n) WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 2000) SELECT i FROM k;

CREATE TABLE customer_name_chars (
  ch TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  PRIMARY KEY (ch, customer_id)
) WITHOUT ROWID;

-- Workspaces created before this migration: what refreshCustomerSummary would compute.
INSERT INTO customer_name_chars (ch, customer_id)
SELECT DISTINCT lower(substr(c.name, p.n, 1)), c.customer_id FROM customers c JOIN char_positions p ON p.n <= length(c.name)
WHERE c.name IS NOT NULL ORDER BY 1, 2;
INSERT INTO customer_summary (customer_id, balance_month, aum_latest, aum_avg_3m, name_indexed, updated_at)
SELECT c.customer_id, w.m,
  (SELECT b.aum FROM balances b WHERE b.customer_id = c.customer_id AND b.month = w.m),
  (SELECT avg(b.aum) FROM balances b WHERE b.customer_id = c.customer_id AND b.month BETWEEN w.first AND w.m),
  c.name, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM customers c
CROSS JOIN (SELECT max(month) AS m, strftime('%Y-%m', max(month) || '-01', '-2 months') AS first FROM balances) w;

-- Churn probability is the score analysts rank the warning list by; the value tier is the filter they use most
-- (私行/财富客户) and matches too few customers to find by walking another index.
CREATE INDEX customer_scores_churn ON customer_scores (run_id, churn_prob, customer_id);
CREATE INDEX customer_scores_tier ON customer_scores (run_id, value_tier, customer_id);
`;
