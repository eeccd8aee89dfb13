// An address and port as text, with no Node module: the console's renderer writes peers the same way
// (a browser bundle has no node:net; transport/peer.ts imports the URI parser, which uses it).

/** "192.0.2.1:5060" / "[2001:db8::1]:5060": an IPv6 address in brackets before its port (RFC 5952 §6). */
export function addressPort(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}
