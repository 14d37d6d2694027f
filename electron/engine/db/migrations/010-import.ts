/**
 * Schema changes of the importer: value maps and data-quality thresholds (issues #13, #14, #15). Empty until that work needs tables or columns; reserved so that
 * capabilities built side by side keep distinct schema versions.
 */
export const up = /* sql */ ``;
