/** English: the screens of campaigns. Merged by en.ts; keys match zh-CN-campaigns.ts (checked by a unit test). */
export const enCampaigns = {};
