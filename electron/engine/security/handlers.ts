/** The engine's answers to the channels of shared/security.ts, joined into electron/engine/handlers/. */
import type { securityChannels } from '../../../shared/security';
import { appendAudit, auditActions } from '../audit';
import type { JobHandlersFor, QueryHandlersFor } from '../handlers/types';
import { verifyAuditChain } from './audit-chain';
import { actionName } from './audit-words';
import { backupWorkspace, decryptedCopy, securityStatus } from './backup';

type Channel = keyof typeof securityChannels;

export const securityQueryHandlers: QueryHandlersFor<Channel> = {
  'security.status': (ctx) => securityStatus(ctx),
  'audit.actions': (ctx) => auditActions(ctx.db()).map((action) => ({ action, label: actionName(action) })),
};

export const securityJobHandlers: JobHandlersFor<Channel> = {
  'audit.verify': async (ctx) => {
    const db = ctx.db();
    const result = verifyAuditChain(db, (done, total) => ctx.progress('校验审计日志', done, total));
    appendAudit(db, {
      action: 'audit.verify',
      params: { ok: result.ok, rows: result.rows, headHash: result.headHash, firstBreakId: result.firstBreak?.id ?? null, missingTriggers: result.missingTriggers },
    });
    return result;
  },
  'security.backup': (ctx, request) => backupWorkspace(ctx, request),
  'security.decryptCopy': (ctx, request) => decryptedCopy(ctx, request),
};
