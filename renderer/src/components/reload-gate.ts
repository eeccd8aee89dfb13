// Calls on changes at most once a window: the first change at once, any that come while the window is
// open once when it closes (then a new window opens). A view's reload follows every change, never more
// often than the window allows, and never misses the last one.

export interface ReloadGate {
  /** Something changed. */
  changed(): void;
  /** No more calls (the view closed). */
  stop(): void;
}

export function reloadGate(
  run: () => void,
  everyMs: number,
  timers: { set: (f: () => void, ms: number) => unknown; clear: (t: unknown) => void } = {
    set: (f, ms) => setTimeout(f, ms),
    clear: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
  },
): ReloadGate {
  let open: { timer: unknown; again: boolean } | undefined;
  const close = (): void => {
    const again = open?.again === true;
    open = undefined;
    if (!again) return;
    run();
    open = { timer: timers.set(close, everyMs), again: false };
  };
  return {
    changed() {
      if (open !== undefined) {
        open.again = true;
        return;
      }
      run();
      open = { timer: timers.set(close, everyMs), again: false };
    },
    stop() {
      if (open !== undefined) timers.clear(open.timer);
      open = undefined;
    },
  };
}
