/** How the product list and the 下一步 card show whether a customer may be contacted for marketing. */
export interface ContactState {
  key: string;
  type: 'success' | 'danger' | 'warning' | 'info';
}

export function contactState(row: { do_not_contact: number | null; consent_marketing: number | null }): ContactState {
  if (row.do_not_contact === 1) return { key: 'matching.product.doNotContact', type: 'danger' };
  if (row.consent_marketing === 0) return { key: 'matching.product.noConsent', type: 'warning' };
  if (row.consent_marketing === null) return { key: 'matching.product.unknownConsent', type: 'info' };
  return { key: 'matching.product.mayContact', type: 'success' };
}
