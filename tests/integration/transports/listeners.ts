// The ports a running lab server listens on, from its start-up line
// "SIP on <host> UDP <n> TCP <n> TLS <n> WS <n> WSS <n>, advertised as ..." (a listener that is off is
// left out), and a poll for a condition with a bound.
import type { LabServer } from '../../support/lab-server';

export interface ListenerPorts {
  udp: number;
  tcp: number;
  tls: number;
  ws: number;
  wss: number;
}

export async function listenerPorts(server: LabServer): Promise<ListenerPorts> {
  const line = await server.child.waitFor(/SIP on \S+ UDP \d+[^\n]*bindings loaded/, 10_000);
  const port = (name: string): number => Number(new RegExp(` ${name} (\\d+)`).exec(line)?.[1] ?? 0);
  return { udp: port('UDP'), tcp: port('TCP'), tls: port('TLS'), ws: port('WS'), wss: port('WSS') };
}

/** Polls `read` until `check` passes; throws naming `what` after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  read: () => T | Promise<T>,
  check: (v: T) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (check(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`${what} not seen within ${timeoutMs} ms: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** GET /healthz of the server's console (the status: ports, connections, bindings by transport). */
export async function healthz(base: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5000) });
  return (await res.json()) as Record<string, unknown>;
}
