/**
 * Community marketing (社区营销, issue #12): the channels, result shapes and settings of the capability.
 * The engine side lives in electron/engine/community/, the screens in renderer/src/features/community/.
 */
import { z } from 'zod';

export const communitySettingsSchema = z.strictObject({});

export const communityChannels = {} as const;
