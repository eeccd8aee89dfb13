// An HTTP request on a SIP stream port (the mml client or a browser given the SIP port for the console's):
// answered with a short HTTP/1.1 400 saying this is a SIP port and where the console is, then the
// connection is closed. RFC 3261 §18.3: a stream whose framing is lost must be closed; before, the
// request was dropped as a malformed SIP message and the connection kept, so the client waited out its
// timeout (the mml client 60 s) and then advised a longer one.
import type { TransportName } from './peer';

/** The console's HTTP listener, as the headless server bound it (none in the desktop app). */
export interface ConsoleAddress {
  /** HTTP.HOST: an address, or 0.0.0.0 / :: for every one. */
  host: string;
  port: number;
}

const isWildcard = (host: string): boolean => host === '0.0.0.0' || host === '::' || host === '';

/**
 * The answer's bytes. `local`: our end of the connection (the address the client reached, so also the
 * console's when it listens on every address).
 */
export function httpOnSipPort(
  transport: TransportName,
  console: ConsoleAddress | undefined,
  local: string | undefined,
): Buffer {
  let where = "IMS Lab's console and its HTTP API are on the HTTP port (HTTP_PORT, 8888 by default)";
  if (console !== undefined) {
    const host = isWildcard(console.host) ? (local ?? '127.0.0.1') : console.host;
    // RFC 3986 §3.2.2: an IPv6 literal in a URL goes in brackets.
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${console.port}/`;
    where = `IMS Lab's console and its HTTP API are at ${url} (HTTP_PORT ${console.port})`;
  }
  const body = `This is a SIP port (SIP over ${transport}, RFC 3261), not HTTP: ${where}.\n`;
  const length = Buffer.byteLength(body);
  return Buffer.from(
    `HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${length}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}
