// View preferences the builder remembers in this browser (localStorage): snapping and the side panel's
// width. Never part of the draft. Reads and writes survive a browser that refuses storage (private mode,
// quota): the default is used and nothing is remembered.

/** The grid steps and notes snap to when snapping is on, in canvas pixels. */
export const SNAP_GRID = 16;
const SNAP_KEY = 'lead-router.builder.snapToGrid';

/** The side panel's width: the default fits a select showing a rep's or team's full name. */
export const SIDE_WIDTH = { min: 288, max: 720, default: 400 };
const SIDE_KEY = 'lead-router.builder.sideWidth';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Not remembered; the setting still holds for this page.
  }
}

/** The snapping grid remembered (null: off, the default). */
export function savedGrid(): number | null {
  return read(SNAP_KEY) === 'on' ? SNAP_GRID : null;
}

export function saveGrid(grid: number | null): void {
  write(SNAP_KEY, grid === null ? 'off' : 'on');
}

/** A side width kept within its bounds (whole pixels). */
export function clampSideWidth(width: number): number {
  return Math.round(Math.min(SIDE_WIDTH.max, Math.max(SIDE_WIDTH.min, width)));
}

/** The side panel's width remembered, or the default. */
export function savedSideWidth(): number {
  const n = Number(read(SIDE_KEY));
  return read(SIDE_KEY) !== null && Number.isFinite(n) ? clampSideWidth(n) : SIDE_WIDTH.default;
}

export function saveSideWidth(width: number): void {
  write(SIDE_KEY, String(clampSideWidth(width)));
}
