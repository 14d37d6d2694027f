/** CLI commands of community (see shared/community.ts); joined into electron/cli.ts. */
import type { CommandGroup } from './command';

export const communityCli: CommandGroup = {
  commands: {},
  options: {},
  usage: '',
};
