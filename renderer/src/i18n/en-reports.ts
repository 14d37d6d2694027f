/** English: the screens of reports. Merged by en.ts; keys match zh-CN-reports.ts (checked by a unit test). */
export const enReports = {};
