/**
 * Tables of campaigns, control groups and responses (issue #10).
 *
 * `campaigns` gains what a campaign is (goal, channel, period, budget, owner, 话术, its audience source and
 * thresholds), the waterfall of its exclusions and its last evaluation. `status` keeps what happened to the
 * list ('planned', 'exported'; 'history' for a past campaign known only from imported responses); screens
 * derive 进行中 / 已结束 from the period. `parent_id` and `wave` tie a second wave to the first.
 *
 * `campaign_members` holds the call list (target) and the holdout (control) with the manager the customer
 * was allocated to (NULL: the pool), their rank within that manager's list, the A/B arm, the value tier the
 * holdout was stratified by, and the reason shown on the list (recommended product, churn drivers).
 *
 * The universal control group (全局对照组) is drawn per period: `universal_control_periods` records each draw
 * (a redraw closes the current period and opens a new one), `universal_control_assignments` every customer's
 * lot in it, so newcomers are assigned once, when they first appear, and the draw never moves under a
 * running campaign.
 *
 * Contact fatigue and the lists' 上次接触日期 look campaign responses up by customer and date, and the
 * exclusions look memberships up by customer: both get an index.
 */
export const up = /* sql */ `
ALTER TABLE campaigns ADD COLUMN goal TEXT;
ALTER TABLE campaigns ADD COLUMN channel TEXT;
ALTER TABLE campaigns ADD COLUMN starts_on TEXT;
ALTER TABLE campaigns ADD COLUMN ends_on TEXT;
ALTER TABLE campaigns ADD COLUMN budget REAL;
ALTER TABLE campaigns ADD COLUMN cost_per_contact REAL;
ALTER TABLE campaigns ADD COLUMN owner TEXT;
ALTER TABLE campaigns ADD COLUMN notes TEXT;
ALTER TABLE campaigns ADD COLUMN script TEXT;
ALTER TABLE campaigns ADD COLUMN source_json TEXT;
ALTER TABLE campaigns ADD COLUMN source_label TEXT;
ALTER TABLE campaigns ADD COLUMN parent_id TEXT REFERENCES campaigns (campaign_id) ON DELETE SET NULL;
ALTER TABLE campaigns ADD COLUMN wave INTEGER NOT NULL DEFAULT 1;
ALTER TABLE campaigns ADD COLUMN waterfall_json TEXT;
ALTER TABLE campaigns ADD COLUMN results_json TEXT;
ALTER TABLE campaigns ADD COLUMN exported_at TEXT;
ALTER TABLE campaigns ADD COLUMN universal_period_id INTEGER;

ALTER TABLE campaign_members ADD COLUMN arm TEXT;
ALTER TABLE campaign_members ADD COLUMN rank INTEGER;
ALTER TABLE campaign_members ADD COLUMN score REAL;
ALTER TABLE campaign_members ADD COLUMN stratum TEXT;
ALTER TABLE campaign_members ADD COLUMN reason TEXT;
CREATE INDEX campaign_members_customer ON campaign_members (customer_id, campaign_id);
CREATE INDEX campaign_members_list ON campaign_members (campaign_id, member_group, manager_id, rank);

CREATE INDEX campaign_responses_customer ON campaign_responses (customer_id, responded_at);

CREATE TABLE universal_control_periods (
  period_id INTEGER PRIMARY KEY,
  starts_on TEXT NOT NULL,
  ends_on TEXT NOT NULL,
  share REAL NOT NULL,
  seed INTEGER NOT NULL,
  drawn_at TEXT NOT NULL,
  -- Why this draw exists: 'scheduled' (a new period) or 'redraw' (the analyst asked for one).
  reason TEXT NOT NULL
);

CREATE TABLE universal_control_assignments (
  period_id INTEGER NOT NULL REFERENCES universal_control_periods (period_id) ON DELETE CASCADE,
  customer_id TEXT NOT NULL,
  in_control INTEGER NOT NULL CHECK (in_control IN (0, 1)),
  assigned_at TEXT NOT NULL,
  PRIMARY KEY (period_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX universal_control_members ON universal_control_assignments (period_id, in_control, customer_id);
`;
