/** The query worker's answers, one per `query` channel of shared/api.ts. */
import type { RowError } from '../../../shared/api';
import { analysisOverview, analysisRuns, balanceMonths, tierMigration } from '../analytics/overview';
import { churnQueryHandlers } from '../analytics/churn/handlers';
import { churnModel, churnModels, explainChurn, riskList } from '../analytics/churn/queries';
import { groupPortrait } from '../analytics/group-portrait';
import { deleteSegment, listSegments } from '../analytics/segments/segment-store';
import { deleteTag, listTags } from '../analytics/tags/tag-store';
import { listAudit } from '../audit';
import { customerCount, customerPage, unmaskCustomer } from '../customers/customer-list';
import { customerListQueryHandlers } from '../customers/handlers';
import { customerFields } from '../customers/field-list';
import { customerPortrait } from '../customers/portrait';
import { previewImport } from '../import/preview';
import { listTemplates, saveTemplate } from '../import/templates';
import { readSettings, writeSettings } from '../settings-store';
import { workspaceInfo } from '../workspace-info';
import { campaignQueryHandlers } from '../campaigns/handlers';
import { communityQueryHandlers } from '../community/handlers';
import { matchingQueryHandlers } from '../matching/handlers';
import { reportQueryHandlers } from '../reports/handlers';
import { securityQueryHandlers } from '../security/handlers';
import type { QueryHandlers } from './types';

export const queryHandlers: QueryHandlers = {
  'workspace.info': (ctx) => workspaceInfo(ctx.db(), ctx.workspacePath() ?? ''),
  'import.preview': (ctx, request) => previewImport(request, { maskPii: ctx.workspacePath() ? readSettings(ctx.db()).maskPii : true }),
  'import.templates': (ctx, request) => listTemplates(ctx.workspacePath() ? ctx.db() : null, request.entity),
  'import.saveTemplate': (ctx, request) => saveTemplate(ctx.db(), request.name, request.entity, request.mapping),
  'import.errors': (ctx, request) =>
    ctx.db().prepare('SELECT row_number AS row, column_name AS "column", value, message FROM import_errors WHERE batch_id = ? ORDER BY row_number').all(request.batchId) as RowError[],
  'customers.page': (ctx, request) => customerPage(ctx.db(), request),
  'customers.count': (ctx, request) => customerCount(ctx.db(), request),
  'customers.portrait': (ctx, request) => customerPortrait(ctx.db(), request.customerId),
  'customers.unmask': (ctx, request) => unmaskCustomer(ctx.db(), request.customerId, request.reason),
  'customers.fields': (ctx) => customerFields(ctx.db()),
  'audit.list': (ctx, request) => listAudit(ctx.db(), request),
  'settings.get': (ctx) => readSettings(ctx.db()),
  'settings.set': (ctx, request) => writeSettings(ctx.db(), request.patch),
  'analysis.runs': (ctx) => analysisRuns(ctx.db()),
  'analysis.overview': (ctx, request) => analysisOverview(ctx.db(), request.runId),
  'analysis.months': (ctx) => balanceMonths(ctx.db()),
  'analysis.migration': (ctx, request) => tierMigration(ctx.db(), request),
  'tags.list': (ctx) => listTags(ctx.db()),
  'tags.delete': (ctx, request) => deleteTag(ctx.db(), request.tagId),
  'segments.list': (ctx) => listSegments(ctx.db()),
  'segments.delete': (ctx, request) => deleteSegment(ctx.db(), request.segmentId),
  'groups.portrait': (ctx, request) => groupPortrait(ctx.db(), request),
  'churn.models': (ctx) => churnModels(ctx.db()),
  'churn.model': (ctx, request) => churnModel(ctx.db(), request.modelId),
  'churn.riskList': (ctx, request) => riskList(ctx.db(), request),
  'churn.explain': (ctx, request) => explainChurn(ctx.db(), request.customerId),
  ...churnQueryHandlers,
  ...customerListQueryHandlers,
  ...matchingQueryHandlers,
  ...campaignQueryHandlers,
  ...communityQueryHandlers,
  ...reportQueryHandlers,
  ...securityQueryHandlers,
};
