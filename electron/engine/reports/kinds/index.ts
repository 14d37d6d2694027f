/**
 * One template per report kind, each fed by its loader: branch (the overview), group (the group
 * portrait), community, campaign and churn. Everything a report shows is read here, inside one job, so the
 * PDF, the Excel appendix and the slides of one export say exactly the same.
 */
import type { ParsedReportSpec } from '../../../../shared/reports';
import type { Db } from '../../db/workspace';
import { readSettings } from '../../settings-store';
import type { ReportDocument } from '../document/model';
import { branchNameOf, computeOverview, type OverviewOptions } from '../overview/compute-overview';
import { latestOverview } from '../overview/overview-store';
import { branchReport } from './branch';
import { campaignReport } from './campaign';
import { loadCampaignReportData } from './campaign-data';
import { churnReport } from './churn';
import { loadChurnReportData } from './churn-data';
import { communityReport } from './community';
import { loadCommunityReportData } from './community-data';
import type { ReportContext } from './context';
import { groupReport } from './group';

export interface BuildOptions extends Pick<OverviewOptions, 'onProgress' | 'throwIfCancelled'> {
  workspaceName?: string;
  /** Fixed in tests; now by default. */
  generatedAt?: string;
}

export function buildReport(db: Db, spec: ParsedReportSpec, options: BuildOptions = {}): ReportDocument {
  const settings = readSettings(db);
  const context: ReportContext = {
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    masked: settings.maskPii,
    settings,
    branchName: branchNameOf(settings, options.workspaceName),
  };
  switch (spec.kind) {
    case 'branch': {
      const latest = spec.period === undefined || spec.period === (db.prepare('SELECT max(month) AS m FROM balances').get() as { m: string | null }).m;
      return branchReport(latest ? latestOverview(db, options) : computeOverview(db, { asOfMonth: spec.period, ...options }), spec, context);
    }
    case 'group': {
      const asOf = (db.prepare("SELECT as_of FROM analysis_runs WHERE status = 'succeeded' AND as_of IS NOT NULL ORDER BY run_id DESC LIMIT 1").get() as { as_of: string } | undefined)?.as_of ?? '';
      return groupReport(db, spec, context, asOf);
    }
    case 'community':
      return communityReport(loadCommunityReportData(db), spec.id, context, spec.title);
    case 'campaign':
      return campaignReport(loadCampaignReportData(db, spec.id), spec.id, context, spec.title);
    case 'churn':
      return churnReport(loadChurnReportData(db, settings.reports.churnTopN), context, spec.title);
  }
}
