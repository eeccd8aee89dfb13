// An address and port as text, the one way every layer writes it (logs, MML answers, the console). It
// sits outside the layers (DESIGN.md) with no imports at all: media, the SIP stack and the browser bundle
// (which has no node:net) all use it.

/** "192.0.2.1:5060" / "[2001:db8::1]:5060": an IPv6 address in brackets before its port (RFC 5952 §6). */
export function addressPort(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}
