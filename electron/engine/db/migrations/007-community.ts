/**
 * Tables of community marketing (issue #12).
 *
 * `communities` gains optional coordinates (for the grid map; the map lays communities out by grid when a
 * register has none) and the person a grid is assigned to (网格长: "每个网格落实到人").
 *
 * `community_units` is a snapshot of every community, grid and manager (and the branch) as of one month,
 * written by a `community` analysis run. The community screens read it: computing the measures walks every
 * customer with their balances, holdings, scores and contacts, which takes seconds on a large branch and so
 * runs as a job, while ranking, suggestions and opportunity scores are computed from the snapshot on each
 * query with the current settings.
 *
 * `community_activities` is the activity register: activities planned by the monthly plan or by hand, and
 * past community events found in the contact records (source 'history'). `campaign_id` links an activity to
 * the campaign that carried it out, so that its evaluation reads the campaign's responses. The evaluation is
 * stored with the activity (`evaluation_json`), refreshed by each snapshot and whenever the activity is
 * saved: listing a month or a community's history then reads it instead of walking attendees again.
 */
export const up = /* sql */ `
ALTER TABLE communities ADD COLUMN longitude REAL;
ALTER TABLE communities ADD COLUMN latitude REAL;
ALTER TABLE communities ADD COLUMN grid_manager_id TEXT;

CREATE TABLE community_units (
  run_id INTEGER NOT NULL REFERENCES analysis_runs (run_id) ON DELETE CASCADE,
  scope TEXT NOT NULL CHECK (scope IN ('community', 'grid', 'manager', 'branch')),
  unit_id TEXT NOT NULL,
  unit_json TEXT NOT NULL,
  PRIMARY KEY (run_id, scope, unit_id)
) WITHOUT ROWID;

CREATE TABLE community_activities (
  activity_id INTEGER PRIMARY KEY,
  community_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  rule_id TEXT,
  date TEXT NOT NULL,
  manager_id TEXT,
  status TEXT NOT NULL CHECK (status IN ('planned', 'done', 'cancelled')),
  source TEXT NOT NULL CHECK (source IN ('plan', 'manual', 'history')),
  reason TEXT,
  audience_json TEXT,
  target_size INTEGER,
  budget REAL,
  goal_type TEXT,
  goal_signups INTEGER,
  goal_new_accounts INTEGER,
  goal_aum REAL,
  campaign_id TEXT,
  plan_month TEXT,
  opportunity_score REAL,
  evaluation_json TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX community_activities_community ON community_activities (community_id, date);
CREATE INDEX community_activities_date ON community_activities (date);
CREATE UNIQUE INDEX community_activities_history ON community_activities (community_id, date, kind) WHERE source = 'history';
`;
