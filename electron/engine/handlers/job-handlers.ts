/** The job worker's jobs, one per `job` channel of shared/api.ts. */
import { createDemoWorkspace } from '../demo/create-demo-workspace';
import { exportTable } from '../export/table-export';
import { importFile } from '../import/importer';
import { runRecipe } from '../import/recipes';
import { qualityReport } from '../quality/quality-report';
import type { JobHandlers } from './types';

export const jobHandlers: JobHandlers = {
  'import.run': (ctx, request) => importFile(ctx, request),
  'import.recipe': (ctx, request) => runRecipe(ctx, request.recipe, request.dir),
  'demo.create': (ctx, request) => createDemoWorkspace(ctx, request),
  'quality.run': (ctx) => qualityReport(ctx),
  'export.table': (ctx, request) => exportTable(ctx, request),
};
