import { describe, expect, it } from 'vitest';
import { wrapTab } from './focus-trap';

describe('wrapTab', () => {
  it('wraps Tab from the last element to the first, and Shift+Tab from the first to the last', () => {
    expect(wrapTab(3, 2, false)).toBe(0);
    expect(wrapTab(3, 0, true)).toBe(2);
  });
  it('leaves moves inside the trap to the browser', () => {
    expect(wrapTab(3, 0, false)).toBeNull();
    expect(wrapTab(3, 2, true)).toBeNull();
    expect(wrapTab(3, 1, true)).toBeNull();
  });
  it('brings focus from outside back in, and does nothing without anything to focus', () => {
    expect(wrapTab(3, -1, false)).toBe(0);
    expect(wrapTab(3, -1, true)).toBe(2);
    expect(wrapTab(0, -1, false)).toBeNull();
    expect(wrapTab(1, 0, false)).toBe(0);
  });
});
