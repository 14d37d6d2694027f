/** CLI commands of matching (see shared/matching.ts); joined into electron/cli.ts. */
import type { CommandGroup } from './command';

export const matchingCli: CommandGroup = {
  commands: {},
  options: {},
  usage: '',
};
