/**
 * Exporting a report from any screen: one save dialog for the first format asked for, the other formats
 * next to it under the same name (周报.pdf, 周报.xlsx, 周报.pptx), then the engine's reports.export job and
 * a notification that names the files and reopens their folder.
 */
import { ElButton, ElNotification } from 'element-plus';
import { h } from 'vue';
import { REPORT_FORMATS, type ReportExportResult, type ReportFormat, type ReportSpec } from '../../../../shared/reports';
import { i18n } from '../../i18n';
import { call } from '../../services/workbench';
import { useJobsStore } from '../../stores/jobs';
import { exportFileName } from '../../utils/format';
import { siblingPaths } from './report-form';

const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

function notifyExported(result: ReportExportResult): void {
  const t = i18n.global.t;
  const names = result.files.map((f) => baseName(f.path)).join('、');
  const first = result.files[0]?.path;
  ElNotification({
    type: 'success',
    title: t('reports.exportedTitle'),
    duration: 10_000,
    message: h('div', { 'data-test': 'report-exported' }, [
      h('div', t('reports.exported', { n: result.files.length, names })),
      first ? h(ElButton, { size: 'small', link: true, type: 'primary', onClick: () => void call('app.revealFile', { path: first }) }, () => t('reports.openFolder')) : null,
    ]),
  });
}

/** Asks where to save and exports; resolves with the result, or null when the dialog was cancelled. */
export async function exportReport(spec: ReportSpec, formats: readonly ReportFormat[], title: string): Promise<ReportExportResult | null> {
  const t = i18n.global.t;
  const ordered = REPORT_FORMATS.filter((f) => formats.includes(f));
  const primary = ordered[0];
  if (!primary) return null;
  const path = await call('app.saveFileDialog', {
    title: t('reports.saveTitle'),
    defaultPath: exportFileName(title, primary),
    filters: [{ name: t(`reports.filters.${primary}`), extensions: [primary] }],
  });
  if (!path) return null;
  const result = await useJobsStore().run('reports.export', { spec, ...siblingPaths(path, ordered) }, { title: t('reports.exportTitle') });
  notifyExported(result);
  return result;
}
