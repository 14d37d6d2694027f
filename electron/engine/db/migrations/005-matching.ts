/**
 * Tables of product matching (issue #9). Empty until that work needs tables or columns; reserved so that
 * capabilities built side by side keep distinct schema versions.
 */
export const up = /* sql */ ``;
