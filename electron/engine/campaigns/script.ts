/**
 * 话术: what the manager says on the call. A campaign keeps one template (the goal's default of
 * shared/campaigns.ts DEFAULT_SCRIPTS unless the analyst wrote their own, or one per arm of an A/B test);
 * each customer's line fills in how to address them and the product. The facts behind the call (churn drivers, matching reasons) go in the list's own
 * column, for the manager to read before dialling, not to read out.
 */

/** 张先生 / 李女士 from the name and gender; 您 alone when either is unknown. */
export function salutation(name: string | null, gender: string | null): string {
  const surname = name ? [...name.trim()][0] : undefined;
  if (!surname || !/[\u4e00-\u9fff]/.test(surname)) return '';
  if (gender === 'M') return `${surname}先生`;
  if (gender === 'F') return `${surname}女士`;
  return '';
}

export function fillScript(template: string, values: { name: string | null; gender: string | null; product: string | null }): string {
  return template
    .replaceAll('{称呼}', salutation(values.name, values.gender))
    .replaceAll('{产品}', values.product ?? '我行的产品');
}
