/** The engine's answers to the channels of shared/reports.ts, joined into electron/engine/handlers/. */
import type { reportChannels } from '../../../shared/reports';
import type { JobHandlersFor, QueryHandlersFor } from '../handlers/types';
import { exportReport, previewReport } from './export-report';
import { reportHistory, reportSources } from './history';
import { readOverview, refreshOverview } from './overview/overview-store';

type Channel = keyof typeof reportChannels;

export const reportQueryHandlers: QueryHandlersFor<Channel> = {
  'reports.overview': (ctx) => readOverview(ctx),
  'reports.history': (ctx, request) => reportHistory(ctx.db(), request.limit),
  'reports.sources': (ctx) => reportSources(ctx.db()),
};

export const reportJobHandlers: JobHandlersFor<Channel> = {
  'reports.refreshOverview': (ctx) => refreshOverview(ctx),
  'reports.preview': (ctx, request) => previewReport(ctx, request),
  'reports.export': (ctx, request) => exportReport(ctx, request),
};
