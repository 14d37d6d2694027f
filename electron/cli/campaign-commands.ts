/** CLI commands of campaigns (see shared/campaigns.ts); joined into electron/cli.ts. */
import type { CommandGroup } from './command';

export const campaignsCli: CommandGroup = {
  commands: {},
  options: {},
  usage: '',
};
