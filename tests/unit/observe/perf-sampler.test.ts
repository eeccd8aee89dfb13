// The CPU/MEM/NET/MSG sampler: rates from counter deltas over a manual clock, the ring of samples,
// listeners, the real once-a-second interval (shortened) and /proc/net/dev parsing.
import { describe, expect, it } from 'vitest';
import { CounterSet } from '../../../core/observe/counters';
import { parseProcNetDev, PerfSampler } from '../../../core/observe/perf-sampler';
import type { PerfSample } from '../../../core/observe/perf-sampler';
import { WINDOW_SAMPLES } from '../../../renderer/src/views/performance/store';

function manual(capacity?: number): { sampler: PerfSampler; counters: CounterSet; clock: { now: number } } {
  const counters = new CounterSet();
  const clock = { now: 1_000_000 };
  const sampler = new PerfSampler({
    counters,
    capacity,
    autoStart: false,
    now: () => clock.now,
    readHostNetwork: () => undefined,
  });
  return { sampler, counters, clock };
}

describe('PerfSampler', () => {
  it("keeps the live counts of each sample, so that their sparklines have the sampler's history", () => {
    const counters = new CounterSet();
    const live = { calls: 0, aors: 0, bindings: 0, authFailures: 0 };
    const sampler = new PerfSampler({
      counters,
      autoStart: false,
      readHostNetwork: () => undefined,
      live: () => ({ ...live }),
    });
    sampler.sample();
    Object.assign(live, { calls: 46, aors: 3, bindings: 4, authFailures: 2 });
    sampler.sample();
    expect(sampler.history().map((s) => s.live)).toEqual([
      { calls: 0, aors: 0, bindings: 0, authFailures: 0 },
      { calls: 46, aors: 3, bindings: 4, authFailures: 2 },
    ]);
    // Without a source, nothing is live.
    expect(manual().sampler.sample().live).toEqual({ calls: 0, aors: 0, bindings: 0, authFailures: 0 });
  });

  it('turns counter deltas into rates per second, in total and by label', () => {
    const { sampler, counters, clock } = manual();
    const requests = counters.counter('sip_requests_in_total', 'requests', 'method');
    requests.inc('REGISTER', 100); // after the sampler's baseline (taken when it was made)
    clock.now += 2000;
    const out = counters.counter('sip_messages_out_total', 'out', 'kind');
    out.inc('200', 50);
    counters.counter('sip_retransmissions_total', 'retransmissions', 'kind').inc('INVITE', 4);
    counters.counter('sip_keepalives_total', 'keep-alives').inc('', 6);
    counters.counter('ims_calls_started_total', 'calls').inc('', 7);
    const s = sampler.sample();
    expect(s.calls).toEqual({ startedPerSecond: 3.5 });
    expect(s.at).toBe(1_002_000);
    expect(s.intervalMs).toBe(2000);
    expect(s.messages).toMatchObject({
      inPerSecond: 50,
      outPerSecond: 25,
      requestsInPerSecond: 50,
      retransmissionsPerSecond: 2,
      inTotal: 100,
      outTotal: 50,
      requestsIn: { REGISTER: 50 },
      out: { '200': 25 },
    });
    expect(s.network).toMatchObject({
      packetsInPerSecond: 53,
      packetsOutPerSecond: 25,
      packetsIn: 106,
      host: undefined,
    });

    clock.now += 1000;
    requests.inc('INVITE', 3);
    const next = sampler.sample();
    expect(next.messages.requestsIn).toEqual({ REGISTER: 0, INVITE: 3 });
    expect(next.messages.inPerSecond).toBe(3);
    expect(next.messages.inTotal).toBe(103);
  });

  it('divides by the time that went by, not by a wall clock stepped back between two samples', () => {
    const counters = new CounterSet();
    const wall = { now: 1_000_000 };
    const mono = { now: 50_000 };
    const sampler = new PerfSampler({
      counters,
      autoStart: false,
      now: () => wall.now,
      elapsed: () => mono.now,
      readHostNetwork: () => undefined,
    });
    counters.counter('sip_requests_in_total', 'requests', 'method').inc('REGISTER', 1000);
    wall.now -= 600_000 - 1000; // stepped back ten minutes during the second
    mono.now += 1000;
    const s = sampler.sample();
    expect(s.intervalMs).toBe(1000);
    expect(s.messages.requestsInPerSecond).toBe(1000);
    expect(s.at).toBe(401_000); // the sample's time is the wall clock's
  });

  it('measures the process: CPU percent and time, memory', () => {
    const { sampler, clock } = manual();
    const until = Date.now() + 30;
    while (Date.now() < until) {
      // burn some CPU so that the interval has some
    }
    clock.now += 30;
    const s = sampler.sample();
    expect(s.cpu.percent).toBeGreaterThan(0);
    expect(s.cpu.percent).toBeCloseTo(s.cpu.userPercent + s.cpu.systemPercent, 6);
    expect(s.cpu.hostPercent).toBeCloseTo(s.cpu.percent / s.cpu.cores, 6);
    expect(s.cpu.totalSeconds).toBeGreaterThan(0);
    expect(s.cpu.loadAverage).toHaveLength(3);
    expect(s.memory.rss).toBeGreaterThan(s.memory.heapUsed);
    expect(s.memory.hostTotal).toBeGreaterThan(s.memory.hostFree);
  });

  it("reports its event-loop monitor's delay each sample, and stops and restarts it with itself", () => {
    const calls: string[] = [];
    let n = 0;
    const sampler = new PerfSampler({
      counters: new CounterSet(),
      autoStart: false,
      readHostNetwork: () => undefined,
      eventLoop: {
        read: () => {
          n += 1;
          return { p50Ms: n, p99Ms: 10 * n, maxMs: 100 * n, meanMs: n };
        },
        start: () => calls.push('start'),
        stop: () => calls.push('stop'),
      },
    });
    expect(sampler.sample().eventLoop).toEqual({ p50Ms: 1, p99Ms: 10, maxMs: 100, meanMs: 1 });
    expect(sampler.sample().eventLoop.maxMs).toBe(200); // each sample reads a new interval
    sampler.start();
    sampler.stop();
    expect(calls).toEqual(['start', 'stop']);
  });

  it('keeps the last samples in a ring: latest, history(n) oldest first', () => {
    const { sampler, clock } = manual(3);
    expect(sampler.latest()).toBeUndefined();
    expect(sampler.history()).toEqual([]);
    const times: number[] = [];
    for (let i = 1; i <= 5; i++) {
      clock.now += 1000;
      times.push(sampler.sample().at);
      expect(sampler.latest()!.at).toBe(clock.now);
    }
    expect(sampler.history().map((s) => s.at)).toEqual(times.slice(2));
    expect(sampler.history(2).map((s) => s.at)).toEqual(times.slice(3));
    expect(sampler.history(10).map((s) => s.at)).toEqual(times.slice(2));
    expect(sampler.history(0)).toEqual([]);
  });

  it("holds the console's whole window by default: the Performance view opens on 10 minutes, not 5", () => {
    const { sampler, clock } = manual();
    for (let i = 0; i < WINDOW_SAMPLES + 50; i++) {
      clock.now += 1000;
      sampler.sample();
    }
    expect(WINDOW_SAMPLES).toBe(600);
    expect(sampler.history(WINDOW_SAMPLES)).toHaveLength(WINDOW_SAMPLES);
  });

  it('tells its listeners, and one failing listener stops nothing', () => {
    const errors: unknown[] = [];
    const counters = new CounterSet();
    const sampler = new PerfSampler({
      counters,
      autoStart: false,
      onListenerError: (err) => errors.push(err),
    });
    const seen: PerfSample[] = [];
    sampler.on(() => {
      throw new Error('broken dashboard');
    });
    const off = sampler.on((s) => seen.push(s));
    const first = sampler.sample();
    off();
    sampler.sample();
    expect(seen).toEqual([first]);
    expect(errors.map(String)).toEqual(['Error: broken dashboard', 'Error: broken dashboard']);
    expect(sampler.history()).toHaveLength(2);
  });

  it('samples on its own interval, which never holds the process, until stopped', async () => {
    const sampler = new PerfSampler({ counters: new CounterSet(), intervalMs: 20 });
    expect(sampler.running).toBe(true);
    const samples: PerfSample[] = [];
    sampler.on((s) => samples.push(s));
    await new Promise((resolve) => setTimeout(resolve, 150));
    sampler.stop();
    expect(sampler.running).toBe(false);
    expect(samples.length).toBeGreaterThanOrEqual(2);
    const count = samples.length;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(samples).toHaveLength(count);
    expect(sampler.latest()).toBe(samples[count - 1]);
  });

  it('reads host interface bytes and their rate when given', () => {
    const counters = new CounterSet();
    const clock = { now: 0 };
    const host = { rxBytes: 1000, txBytes: 5000 };
    const sampler = new PerfSampler({
      counters,
      autoStart: false,
      now: () => clock.now,
      readHostNetwork: () => ({ ...host }),
    });
    clock.now = 500;
    host.rxBytes += 4000;
    host.txBytes += 1000;
    expect(sampler.sample().network.host).toEqual({
      rxBytes: 5000,
      txBytes: 6000,
      rxBytesPerSecond: 8000,
      txBytesPerSecond: 2000,
    });
  });
});

describe('parseProcNetDev', () => {
  it('sums the receive and transmit bytes of every interface', () => {
    const text =
      'Inter-|   Receive                                                |  Transmit\n' +
      ' face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n' +
      '    lo:  123456     100    0    0    0     0          0         0   123456     100    0    0    0     0       0          0\n' +
      '  eth0: 9876543    5000    0    0    0     0          0         0  1234567    4000    0    0    0     0       0          0\n';
    expect(parseProcNetDev(text)).toEqual({ rxBytes: 123456 + 9876543, txBytes: 123456 + 1234567 });
    expect(parseProcNetDev('garbage')).toBeUndefined();
  });
});
