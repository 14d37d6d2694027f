/** English: the screens of community. Merged by en.ts; keys match zh-CN-community.ts (checked by a unit test). */
export const enCommunity = {};
