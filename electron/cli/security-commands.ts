/** CLI commands of security (see shared/security.ts); joined into electron/cli.ts. */
import type { CommandGroup } from './command';

export const securityCli: CommandGroup = {
  commands: {},
  options: {},
  usage: '',
};
