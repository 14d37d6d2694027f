/**
 * What each export kind writes: its columns (Chinese labels), its rows a chunk at a time, and how it is
 * described in the file and the audit log.
 */
import type { Db } from '../db/workspace';
import { customersSource } from './customers-source';
import type { ExportRequest, ExportSource } from './export-source';
import { importErrorsSource } from './import-errors-source';
import { rowsSource } from './rows-source';

export type { ExportRequest, ExportSource } from './export-source';

export function exportSource(db: Db, request: ExportRequest): ExportSource {
  switch (request.kind) {
    case 'customers':
      return customersSource(db, request);
    case 'import-errors':
      return importErrorsSource(db, request);
    case 'rows':
      return rowsSource(request);
  }
}
