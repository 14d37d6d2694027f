/** The query worker's answers, one per `query` channel of shared/api.ts. */
import type { RowError } from '../../../shared/api';
import { listAudit } from '../audit';
import { customerCount, customerPage, unmaskCustomer } from '../customers/customer-list';
import { customerPortrait } from '../customers/portrait';
import { previewImport } from '../import/preview';
import { listTemplates, saveTemplate } from '../import/templates';
import { readSettings, writeSettings } from '../settings-store';
import { workspaceInfo } from '../workspace-info';
import type { QueryHandlers } from './types';

export const queryHandlers: QueryHandlers = {
  'workspace.info': (ctx) => workspaceInfo(ctx.db(), ctx.workspacePath() ?? ''),
  'import.preview': (_ctx, request) => previewImport(request),
  'import.templates': (ctx, request) => listTemplates(ctx.workspacePath() ? ctx.db() : null, request.entity),
  'import.saveTemplate': (ctx, request) => saveTemplate(ctx.db(), request.name, request.entity, request.mapping),
  'import.errors': (ctx, request) =>
    (ctx.db().prepare('SELECT row_number AS row, column_name AS "column", value, message FROM import_errors WHERE batch_id = ? ORDER BY row_number').all(request.batchId) as RowError[]),
  'customers.page': (ctx, request) => customerPage(ctx.db(), request),
  'customers.count': (ctx, request) => customerCount(ctx.db(), request),
  'customers.portrait': (ctx, request) => customerPortrait(ctx.db(), request.customerId),
  'customers.unmask': (ctx, request) => unmaskCustomer(ctx.db(), request.customerId, request.reason),
  'audit.list': (ctx, request) => listAudit(ctx.db(), request.offset, request.limit),
  'settings.get': (ctx) => readSettings(ctx.db()),
  'settings.set': (ctx, request) => writeSettings(ctx.db(), request.patch),
};
