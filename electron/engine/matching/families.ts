/**
 * What product matching models: one forest per product family (products.category), and one per single
 * product that has enough new holders of its own in a family of several products (issue #9 §2). A family
 * with too few new holders has no forest: it is ranked from co-holding lift.
 */
import { PRODUCT_CATEGORY_LABELS } from '../../../shared/dictionary';
import type { EligibilityProduct } from './eligibility';

export interface ModelUnit {
  /** 'family:wealth' or 'product:LC002'. */
  readonly key: string;
  readonly kind: 'family' | 'product';
  readonly category: string;
  readonly label: string;
  readonly productIds: readonly string[];
}

export function categoryLabel(category: string): string {
  return (PRODUCT_CATEGORY_LABELS as Record<string, string>)[category] ?? category;
}

/** The families a recommendation can come from: categories with at least one product on sale, in shelf order. */
export function familiesOnShelf(products: readonly EligibilityProduct[]): string[] {
  const seen: string[] = [];
  for (const p of products) if (p.active && !seen.includes(p.category)) seen.push(p.category);
  const order = Object.keys(PRODUCT_CATEGORY_LABELS);
  const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length);
  return seen.sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

export function familyUnit(category: string, products: readonly EligibilityProduct[]): ModelUnit {
  return {
    key: `family:${category}`,
    kind: 'family',
    category,
    label: categoryLabel(category),
    productIds: products.filter((p) => p.category === category).map((p) => p.productId),
  };
}

export function productUnit(product: EligibilityProduct): ModelUnit {
  return { key: `product:${product.productId}`, kind: 'product', category: product.category, label: product.name, productIds: [product.productId] };
}

/**
 * The candidate units of a shelf: every family with a product on sale, and every product on sale that
 * shares its family with another product on sale (a lone product's forest would be its family's).
 */
export function candidateUnits(products: readonly EligibilityProduct[]): ModelUnit[] {
  const units: ModelUnit[] = [];
  for (const category of familiesOnShelf(products)) {
    units.push(familyUnit(category, products));
    const onSale = products.filter((p) => p.active && p.category === category);
    if (onSale.length > 1) for (const p of onSale) units.push(productUnit(p));
  }
  return units;
}
