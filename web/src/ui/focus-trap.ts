/** What Tab may reach inside a container: enabled, rendered controls and links, in document order. */
const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex]';

/** The elements of `root` that Tab can focus. */
export function tabbables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
    (el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled && !(el instanceof HTMLInputElement && el.type === 'hidden') && el.getClientRects().length > 0,
  );
}

/**
 * Where Tab (or Shift+Tab) moves focus within a trap of `count` elements when it stands at `current`
 * (-1: outside the trap): wraps from the last to the first and back; null when the browser's own move
 * stays inside (or there is nothing to focus).
 */
export function wrapTab(count: number, current: number, backwards: boolean): number | null {
  if (count === 0) return null;
  if (current < 0) return backwards ? count - 1 : 0;
  if (backwards && current === 0) return count - 1;
  if (!backwards && current === count - 1) return 0;
  return null;
}
