// Long work run one at a time (core/store/one-at-a-time.ts): each waits for the work asked for before
// it, in order, and a failure is its caller's alone.
import { describe, expect, it } from 'vitest';
import { OneAtATime } from '../../../core/store/one-at-a-time';

describe('OneAtATime', () => {
  it('runs work after the work asked for before it has ended, in the order asked', async () => {
    const queue = new OneAtATime();
    const seen: string[] = [];
    let release!: () => void;
    const first = queue.run(async () => {
      seen.push('first starts');
      await new Promise<void>((resolve) => (release = resolve));
      seen.push('first ends');
      return 1;
    });
    const second = queue.run(() => {
      seen.push('second');
      return 2;
    });
    await Promise.resolve();
    expect(seen).toEqual(['first starts']);
    release();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(seen).toEqual(['first starts', 'first ends', 'second']);
  });

  it('gives a failure to its caller and runs the next work all the same', async () => {
    const queue = new OneAtATime();
    const failed = queue.run(() => {
      throw new Error('disk full');
    });
    const next = queue.run(() => 'ran');
    await expect(failed).rejects.toThrow('disk full');
    expect(await next).toBe('ran');
  });
});
