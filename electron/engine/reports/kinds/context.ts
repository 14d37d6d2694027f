/** What every report template gets beside its data: when it is made, whether names are masked, the settings. */
import type { Settings } from '../../../../shared/settings';

export interface ReportContext {
  generatedAt: string;
  masked: boolean;
  settings: Settings;
  /** The branch name printed in the header: settings.reports.branchName, else the workspace file's name. */
  branchName: string;
}
