/** English: the screens of matching. Merged by en.ts; keys match zh-CN-matching.ts (checked by a unit test). */
export const enMatching = {};
