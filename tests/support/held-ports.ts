// UDP ports held by "another program" (a socket of the test's own), as a SIPp or a phone on the same host
// holds ports inside the dialer's RTP range: bound on 127.0.0.1, closed after each test or by release().
import { createSocket, type Socket } from 'node:dgram';
import { afterEach } from 'vitest';

export interface HeldPorts {
  /** Binds `port` on 127.0.0.1 until released. */
  hold(port: number): Promise<Socket>;
  /** Closes every port held (the other program goes away). */
  release(): void;
}

export function useHeldPorts(): HeldPorts {
  let held: Socket[] = [];
  const release = (): void => {
    for (const s of held) s.close();
    held = [];
  };
  afterEach(release);
  return {
    hold: (port) =>
      new Promise((resolve, reject) => {
        const s = createSocket('udp4');
        s.once('error', reject);
        s.bind(port, '127.0.0.1', () => {
          held.push(s);
          resolve(s);
        });
      }),
    release,
  };
}
