/**
 * Tables of community marketing: coordinates, grids, activities and plans (issue #12). Empty until that work needs tables or columns; reserved so that
 * capabilities built side by side keep distinct schema versions.
 */
export const up = /* sql */ ``;
