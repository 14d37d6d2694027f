/**
 * Tables of campaigns, control groups and responses (issue #10). Empty until that work needs tables or columns; reserved so that
 * capabilities built side by side keep distinct schema versions.
 */
export const up = /* sql */ ``;
