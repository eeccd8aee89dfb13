// The server under `npm start` stops once the script's shell is gone (npm passes its SIGTERM to the shell only).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PARENT_CHECK_MS, stopWithNpmScript } from '../../core/npm-script-shell';

describe('stopWithNpmScript', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('calls gone once, when the parent changes under `npm start` or `npm run start:headless`', () => {
    for (const event of ['start', 'start:headless']) {
      let parent = 100;
      const gone = vi.fn();
      stopWithNpmScript({ npm_lifecycle_event: event }, () => parent, gone);
      vi.advanceTimersByTime(PARENT_CHECK_MS * 10);
      expect(gone).not.toHaveBeenCalled();
      parent = 1; // re-parented: the shell died
      vi.advanceTimersByTime(PARENT_CHECK_MS);
      expect(gone).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(PARENT_CHECK_MS * 10);
      expect(gone).toHaveBeenCalledTimes(1);
    }
  });

  it('does not watch outside those scripts (a server started from a shell that then exits keeps running)', () => {
    for (const env of [{}, { npm_lifecycle_event: 'test' }]) {
      let parent = 100;
      const gone = vi.fn();
      stopWithNpmScript(env, () => parent, gone);
      parent = 1;
      vi.advanceTimersByTime(PARENT_CHECK_MS * 10);
      expect(gone).not.toHaveBeenCalled();
    }
  });
});
