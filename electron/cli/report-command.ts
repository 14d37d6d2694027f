/** CLI commands of reports (see shared/reports.ts); joined into electron/cli.ts. */
import type { CommandGroup } from './command';

export const reportsCli: CommandGroup = {
  commands: {},
  options: {},
  usage: '',
};
