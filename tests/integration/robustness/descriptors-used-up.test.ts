// Every file descriptor in use: the built server started under `ulimit -n 128`, then more idle TCP
// connections opened to its SIP port than it may have files (nothing sent, no login needed). Reading the
// process's memory (/proc/self/statm) threw EMFILE from the perf sampler's timer and the process ended
// within a second, SIP over UDP with it. Now the kernel/libuv refuse the connections beyond the limit, the
// log says so once, UDP SIP answers throughout, and once the connections close the log says the
// descriptors are back and a REGISTER over TCP is accepted. Bounded: FLOOD connections on loopback.
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { newCallId } from '../../../core/sip/message/index';
import { removeDataDir, startLabServer } from '../../support/lab-server';
import { HAS_BUILD } from '../../support/processes';
import {
  contactOf,
  openTcp,
  openUdp,
  parseResponse,
  RegisteringUa,
  requestBytes,
  type SipChannel,
} from '../../support/sip-client';

const FD_LIMIT = 128;
const FLOOD = 200;
const USED_UP = /\[resources\] file descriptors used up \(EMFILE/;
const BACK = /\[resources\] file descriptors available again/;

/** Resolves once the socket connected, failed or closed (the server's libuv closes those it cannot keep). */
function settled(s: Socket): Promise<void> {
  return new Promise((ok) => {
    s.once('connect', () => ok());
    s.once('error', () => ok());
    s.once('close', () => ok());
  });
}

async function optionsAnswered(udp: SipChannel, cseq: number): Promise<number> {
  udp.send(requestBytes(udp, { method: 'OPTIONS', user: 'probe', callId: newCallId('fd'), cseq }));
  return parseResponse(await udp.next(5000)).status;
}

describe.skipIf(!HAS_BUILD || !existsSync('/proc/self/limits'))('file descriptors used up', () => {
  it('the server lives on: UDP SIP answers, EMFILE is said once, TCP works again after', async () => {
    const server = await startLabServer({ fdLimit: FD_LIMIT });
    const flood: Socket[] = [];
    let stopping = false;
    const exited = server.child.exited.then((code) => {
      if (!stopping) throw new Error(`the server exited (${code}):\n${server.child.output()}`);
    });
    exited.catch(() => undefined);
    try {
      const target = { host: server.host, port: server.udpPort };
      const udp = await openUdp(target);
      expect(await optionsAnswered(udp, 1)).toBe(200);

      for (let i = 0; i < FLOOD; i++) {
        const s = connect(server.tcpPort, server.host);
        s.on('error', () => undefined);
        flood.push(s);
      }
      await Promise.all(flood.map(settled));
      // The perf sampler read the memory with no descriptor left (it threw, and the process ended).
      await Promise.race([server.child.waitFor(USED_UP, 15_000), exited]);
      expect(server.child.proc.exitCode).toBeNull();
      expect(await optionsAnswered(udp, 2)).toBe(200);

      for (const s of flood.splice(0)) s.destroy();
      await Promise.race([server.child.waitFor(BACK, 15_000), exited]);
      expect(await optionsAnswered(udp, 3)).toBe(200);
      const tcp = await openTcp({ host: server.host, port: server.tcpPort });
      const ua = new RegisteringUa(tcp, { username: '1001', password: '1001' });
      expect((await ua.register([contactOf(tcp, '1001')], 60)).status).toBe(200);
      await tcp.close();
      await udp.close();
      // Once, not a line per connection refused or per sample.
      expect(server.child.output().match(new RegExp(USED_UP.source, 'g'))).toHaveLength(1);
    } finally {
      for (const s of flood) s.destroy();
      stopping = true;
      await server.stop();
      removeDataDir(server.dataDir);
    }
  }, 60_000);
});
