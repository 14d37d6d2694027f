/**
 * Product matching (产品匹配, issue #9): the channels, result shapes and settings of the capability.
 * The engine side lives in electron/engine/matching/, the screen in renderer/src/features/matching/.
 */
import { z } from 'zod';

export const suitabilitySettingsSchema = z.strictObject({
  /** An assessment older than this (as of the analysis date) no longer counts: R1 products only. */
  riskAssessmentValidMonths: z.number().int().min(1).default(12),
  /** Customers this old or older who match an R4/R5 product stay eligible but carry a flag (加强提示、双录). */
  elderlyAge: z.number().int().min(50).max(100).default(65),
});

export const matchingSettingsSchema = z.strictObject({});

export const matchingChannels = {} as const;
