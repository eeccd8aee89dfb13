// An address and port as the console writes them: an IPv6 address in brackets ([fd00::5]:5060), as
// MML, the trace and RFC 3986 §3.2.2 do; unbracketed, fd00:31::5:40043 read as one longer address.

export function endpoint(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
