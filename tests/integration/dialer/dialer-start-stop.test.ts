// STR DIALSVC and STP DIALSVC sent at once from two consoles: the stop, asked while the start registers,
// waits for the start to end and stops what it started, so the dialer ends as the last answer says:
// stopped, its account unregistered. Before, the stop found no user agent yet and said stopped; the
// start then went on to register and run (DSP DIALSVC: running, registered).
import { describe, expect, it } from 'vitest';
import { useDialerLab, type DialerLab } from './lab';

let lab: DialerLab;

useDialerLab((l) => (lab = l));

/** The dialer's bindings in the location service. */
const dialerBindings = (): number =>
  [...lab.a.location.entries()].filter(([aor]) => aor.startsWith('sip:0000@')).length;

describe('STR DIALSVC and STP DIALSVC at once', () => {
  it('end stopped and unregistered, as the stop said, when the stop comes while the start registers', async () => {
    const dialer = lab.a.dialer;
    const starting = dialer.start();
    expect(dialer.state).toBe('starting'); // its SIP port opening, REGISTER not yet answered
    const stopping = dialer.stop();
    // The start ends as it would have (its answer says started), then the stop stops it.
    expect(await starting).toMatchObject({ ok: true });
    await stopping;
    expect(dialer.snapshot()).toMatchObject({ state: 'stopped', registered: false });
    expect(dialerBindings()).toBe(0);
    // And the dialer starts again afterwards.
    expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
    expect(dialer.snapshot()).toMatchObject({ state: 'running', registered: true });
  });

  it('answer a second STP DIALSVC once the first one has stopped everything', async () => {
    expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
    const dialer = lab.a.dialer;
    const first = dialer.stop();
    expect(dialer.state).toBe('stopping');
    await dialer.stop();
    expect(dialer.state).toBe('stopped');
    expect(dialerBindings()).toBe(0);
    await first;
  });

  it("show a stopped dialer's address, start and uptime as '-', alike", async () => {
    expect((await lab.mml('STR DIALSVC')).retcode).toBe(0);
    expect((await lab.mml('STP DIALSVC')).retcode).toBe(0);
    const service = (await lab.mml('DSP DIALSVC')).tables[0]!;
    const cell = (name: string) => service.rows[0]![service.columns.findIndex((c) => c.name === name)];
    expect(['Local address', 'Started', 'Uptime'].map(cell)).toEqual([null, null, null]);
  });
});
