import { describe, expect, it } from 'vitest';
import { EventHub } from '../../../core/observe/event-hub';

interface Events {
  a: number;
  b: string;
}

describe('EventHub', () => {
  it('numbers events per topic, from 1, whether or not anyone listens', () => {
    const hub = new EventHub<Events>(() => undefined);
    const seen: [number, number][] = [];
    hub.emit('a', 10);
    hub.on('a', (x, seq) => seen.push([x, seq]));
    hub.emit('a', 11);
    hub.emit('b', 'x');
    hub.emit('a', 12);
    expect(seen).toEqual([
      [11, 2],
      [12, 3],
    ]);
    expect(hub.seq('a')).toBe(3);
    expect(hub.seq('b')).toBe(1);
  });

  it('a listener that throws is reported and the others still run; emit never throws', () => {
    const faults: string[] = [];
    const hub = new EventHub<Events>((topic, err) => faults.push(`${String(topic)}: ${String(err)}`));
    const got: number[] = [];
    hub.on('a', () => {
      throw new Error('boom');
    });
    hub.on('a', (x) => got.push(x));
    expect(() => hub.emit('a', 1)).not.toThrow();
    expect(got).toEqual([1]);
    expect(faults).toEqual(['a: Error: boom']);
  });

  it('a failing error reporter is contained too', () => {
    const hub = new EventHub<Events>(() => {
      throw new Error('reporter');
    });
    hub.on('b', () => {
      throw new Error('x');
    });
    expect(() => hub.emit('b', 'y')).not.toThrow();
  });

  it('unsubscribes', () => {
    const hub = new EventHub<Events>(() => undefined);
    const got: number[] = [];
    const off = hub.on('a', (x) => got.push(x));
    hub.emit('a', 1);
    off();
    hub.emit('a', 2);
    expect(got).toEqual([1]);
    expect(hub.has('a')).toBe(false);
  });
});
