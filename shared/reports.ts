/**
 * Reports (报告) and the branch overview (经营概览), issue #11: the channels, result shapes and settings.
 * The engine side lives in electron/engine/reports/, the screens in renderer/src/features/reports/ and
 * renderer/src/features/overview/.
 */
import { z } from 'zod';

export const reportSettingsSchema = z.strictObject({});

export const reportChannels = {} as const;
