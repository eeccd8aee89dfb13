// The address IMS Lab puts in its Via and Record-Route when SERVER_IP is not set (the original's
// detection, kept): the bind address if it is a specific one; otherwise the address of the interface
// that routes outward, found by connecting a UDP socket (which sends nothing); otherwise the first
// non-internal IPv4 address; otherwise loopback.
import { createSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';

function firstExternalIpv4(): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return undefined;
}

export async function advertisedAddress(configured: string, bindHost: string): Promise<string> {
  if (configured !== '') return configured;
  if (bindHost !== '0.0.0.0' && bindHost !== '::' && bindHost !== '') return bindHost;
  const routed = await new Promise<string | undefined>((resolve) => {
    const s = createSocket('udp4');
    s.on('error', () => {
      s.close();
      resolve(undefined);
    });
    s.connect(80, '8.8.8.8', () => {
      const address = s.address().address;
      s.close();
      resolve(address === '0.0.0.0' ? undefined : address);
    });
  });
  return routed ?? firstExternalIpv4() ?? '127.0.0.1';
}
