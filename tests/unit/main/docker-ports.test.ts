// The Docker image's ports (Dockerfile EXPOSE) and README's `docker run` lines, against the settings'
// defaults (core/config/settings.ts): the auto dialer's SIP port (DIALER.LOCAL_PORT, UDP) and RTP range
// (DIALER.RTP_PORT_MIN..MAX, UDP) were neither exposed nor published, so an answered dialer call got no
// RTP back in bridge mode; and the bridge example had no volume for /data, so an upgrade (docker rm +
// run) started on an empty data folder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../../core/config/settings';

const ROOT = join(__dirname, '..', '..', '..');

const byDefault = (key: string): number => {
  const value = SETTINGS.find((s) => s.key === key)?.default;
  expect(typeof value, key).toBe('number');
  return value as number;
};

/** What the image listens on with the default settings: [port, protocol] and the dialer's RTP range. */
function defaults(): { ports: string[]; rtp: [number, number] } {
  const sip = byDefault('SIP.PORT');
  const ports = [
    `${sip}/udp`,
    `${sip}/tcp`,
    `${byDefault('SIP.TLS_PORT')}/tcp`,
    `${byDefault('SIP.WS_PORT')}/tcp`,
    `${byDefault('SIP.WSS_PORT')}/tcp`,
    `${byDefault('HTTP.PORT')}/tcp`,
    `${byDefault('DIALER.LOCAL_PORT')}/udp`,
  ];
  return { ports, rtp: [byDefault('DIALER.RTP_PORT_MIN'), byDefault('DIALER.RTP_PORT_MAX')] };
}

/** A port spec with its protocol spelt out (Docker's default is tcp). */
const withProtocol = (spec: string): string => (spec.includes('/') ? spec : `${spec}/tcp`);

/** README's `docker run` commands in the Docker section, continuation lines joined. */
function readmeRuns(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Docker\n');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return section
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => line.startsWith('docker run'));
}

describe('Docker ports and volume', () => {
  it('EXPOSE lists every default listener, the dialer’s SIP port and its RTP range included', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const exposed = (/^EXPOSE (.*)$/m.exec(dockerfile)?.[1] ?? '').split(/\s+/).map(withProtocol);
    const { ports, rtp } = defaults();
    expect(exposed).toEqual(expect.arrayContaining([...ports, `${rtp[0]}-${rtp[1]}/udp`]));
  });

  it('README’s bridge example publishes them at their own numbers, and every example keeps /data', () => {
    const runs = readmeRuns();
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (const run of runs) expect(run, run).toMatch(/ -v [\w.-]+:\/data /);
    const bridge = runs.filter((run) => !run.includes('--network host'));
    expect(bridge).toHaveLength(1);
    const published = [...bridge[0]!.matchAll(/ -p (\S+)/g)].map((m) => withProtocol(m[1]!));
    const { ports, rtp } = defaults();
    // SERVER_IP's ports go into Via, Contact and SDP: the host must use the same numbers.
    for (const port of ports) {
      const [number, protocol] = port.split('/');
      expect(published, port).toContain(`${number}:${number}/${protocol}`);
    }
    // Some RTP range, inside the dialer's default one (README says how to narrow the setting to it).
    const range = published.find((p) => /^\d+-\d+:\d+-\d+\/udp$/.test(p));
    expect(range).toBeDefined();
    const [host, container] = range!.replace('/udp', '').split(':');
    expect(host).toBe(container);
    const [low, high] = host!.split('-').map(Number);
    expect(low).toBe(rtp[0]);
    expect(high).toBeLessThanOrEqual(rtp[1]);
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(
      `SET CFG KEY=DIALER.RTP_PORT_MAX VALUE=${high}`,
    );
  });
});
