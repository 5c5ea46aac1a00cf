import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clampSideWidth, saveGrid, savedGrid, savedSideWidth, saveSideWidth, SIDE_WIDTH, SNAP_GRID } from './view-prefs';

// vitest's environment here is node: a Map stands in for the browser's storage.
const store = new Map<string, string>();
beforeEach(() => {
  store.clear();
  (globalThis as { localStorage?: unknown }).localStorage = {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
  };
});
afterEach(() => {
  delete (globalThis as { localStorage?: unknown }).localStorage;
});

describe('view preferences', () => {
  it('remembers snapping, off by default', () => {
    expect(savedGrid()).toBeNull();
    saveGrid(SNAP_GRID);
    expect(savedGrid()).toBe(SNAP_GRID);
    saveGrid(null);
    expect(savedGrid()).toBeNull();
  });

  it('remembers the side width within its bounds, the default when none or garbage', () => {
    expect(savedSideWidth()).toBe(SIDE_WIDTH.default);
    saveSideWidth(512.4);
    expect(savedSideWidth()).toBe(512);
    store.set('lead-router.builder.sideWidth', 'wide');
    expect(savedSideWidth()).toBe(SIDE_WIDTH.default);
    store.set('lead-router.builder.sideWidth', '99999');
    expect(savedSideWidth()).toBe(SIDE_WIDTH.max);
    expect(clampSideWidth(10)).toBe(SIDE_WIDTH.min);
  });

  it('falls back to the defaults when the browser refuses storage', () => {
    (globalThis as { localStorage?: unknown }).localStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    expect(() => saveGrid(SNAP_GRID)).not.toThrow();
    expect(savedGrid()).toBeNull();
    expect(savedSideWidth()).toBe(SIDE_WIDTH.default);
  });
});
