import { useCallback, useRef, useState, type HTMLAttributes, type KeyboardEvent, type PointerEvent } from 'react';
import { clampSideWidth, savedSideWidth, saveSideWidth, SIDE_WIDTH } from './view-prefs';

/** How far one arrow key moves the handle (Shift: four times as far). */
const KEY_STEP = 16;

/**
 * The side panel's width and the props of its resize handle (a vertical separator on the panel's left edge):
 * drag it, or focus it and use the arrow keys (Left widens, Right narrows; Home and End go to the bounds).
 * The width is remembered in this browser.
 * @example const { width, handleProps } = useSideWidth(); <div {...handleProps} /> <aside style={{ width }} />
 */
export function useSideWidth(): { width: number; handleProps: HTMLAttributes<HTMLDivElement> } {
  const [width, setWidth] = useState(savedSideWidth);
  const drag = useRef<{ x: number; width: number } | null>(null);
  const set = useCallback((w: number, remember: boolean) => {
    const next = clampSideWidth(w);
    setWidth(next);
    if (remember) saveSideWidth(next);
  }, []);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.setPointerCapture(e.pointerId);
    drag.current = { x: e.clientX, width };
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    // The panel is on the right: moving the handle left makes it wider.
    if (drag.current) set(drag.current.width + drag.current.x - e.clientX, false);
  };
  const onPointerUp = (e: PointerEvent<HTMLDivElement>) => {
    if (!drag.current) return;
    set(drag.current.width + drag.current.x - e.clientX, true);
    drag.current = null;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 4 * KEY_STEP : KEY_STEP;
    const to = { ArrowLeft: width + step, ArrowRight: width - step, Home: SIDE_WIDTH.min, End: SIDE_WIDTH.max }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    set(to, true);
  };

  return {
    width,
    handleProps: {
      role: 'separator',
      tabIndex: 0,
      'aria-orientation': 'vertical',
      'aria-label': 'Resize the side panel',
      'aria-valuemin': SIDE_WIDTH.min,
      'aria-valuemax': SIDE_WIDTH.max,
      'aria-valuenow': width,
      title: 'Drag to resize the side panel (or focus it and use the arrow keys)',
      onPointerDown,
      onPointerMove,
      onPointerUp,
      onPointerCancel: onPointerUp,
      onKeyDown,
    },
  };
}
