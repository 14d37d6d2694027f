/** analysis_runs.kind of the runs this module writes; the screens look runs up by it. */
export const CUSTOMER_ANALYSIS_KIND = 'customer_analysis';
