/** The job worker's jobs, one per `job` channel of shared/api.ts. */
import { scoreChurn } from '../analytics/churn/score';
import { trainChurnModel } from '../analytics/churn/train';
import { runAnalysis } from '../analytics/run-analysis';
import { clusterCustomers } from '../analytics/segments/cluster-customers';
import { saveClusterSegments, saveRuleSegment } from '../analytics/segments/segment-store';
import { saveRuleTag } from '../analytics/tags/tag-store';
import { createDemoWorkspace } from '../demo/create-demo-workspace';
import { exportTable } from '../export/table-export';
import { checkImport, importFile } from '../import/importer';
import { runRecipe } from '../import/recipes';
import { qualityReport } from '../quality/quality-report';
import { campaignJobHandlers } from '../campaigns/handlers';
import { communityJobHandlers } from '../community/handlers';
import { matchingJobHandlers } from '../matching/handlers';
import { reportJobHandlers } from '../reports/handlers';
import { securityJobHandlers } from '../security/handlers';
import type { JobHandlers } from './types';

export const jobHandlers: JobHandlers = {
  'import.run': (ctx, request) => importFile(ctx, request),
  'import.recipe': (ctx, request) => runRecipe(ctx, request.recipe, request.dir),
  'import.check': (ctx, request) => checkImport(ctx, request),
  'demo.create': (ctx, request) => createDemoWorkspace(ctx, request),
  'quality.run': (ctx) => qualityReport(ctx),
  'export.table': (ctx, request) => exportTable(ctx, request),
  'analysis.run': (ctx, request) => runAnalysis(ctx, request),
  'segments.cluster': (ctx, request) => clusterCustomers(ctx, request),
  'segments.saveClusters': (ctx, request) => saveClusterSegments(ctx, request),
  'segments.saveRule': (ctx, request) => saveRuleSegment(ctx, request),
  'tags.saveRule': (ctx, request) => saveRuleTag(ctx, request),
  'churn.train': (ctx, request) => trainChurnModel(ctx, request),
  'churn.score': (ctx, request) => scoreChurn(ctx, request),
  ...matchingJobHandlers,
  ...campaignJobHandlers,
  ...communityJobHandlers,
  ...reportJobHandlers,
  ...securityJobHandlers,
};
