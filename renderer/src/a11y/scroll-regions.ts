/**
 * Scrollable regions reachable from the keyboard (WCAG 2.1.1; axe-core "scrollable-region-focusable"):
 * Element Plus tables and scrollbars scroll inside a div that a keyboard user cannot focus, so the rows
 * below the fold of a table with a height could only be reached with a mouse. Every such div gets
 * tabindex="0" as it appears; arrow keys then scroll it.
 */
const SCROLL_REGIONS = '.el-scrollbar__wrap, .el-table__body-wrapper, .el-table-v2__body';

function mark(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>(SCROLL_REGIONS)) {
    if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '0');
  }
}

export function keepScrollRegionsFocusable(root: HTMLElement = document.body): void {
  mark(root);
  let pending = false;
  new MutationObserver(() => {
    // One pass per frame however many nodes a render adds.
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      mark(root);
    });
  }).observe(root, { childList: true, subtree: true });
}
