// The trace's address filter (DSP TRACE ADDRESS=, the console's Address box) compares addresses, not
// texts: "0:0:0:0:0:0:0:1", "[0::1]:43060", "2001:DB8::1" found nothing where the trace held ::1 and
// 2001:db8::1 (RFC 5952 §4: many spellings, one address; the trace holds the kernel's, RFC 5952's).
import { describe, expect, it } from 'vitest';
import { canonicalIp } from '../../../core/sip/transport/ip-text';
import { endpointFilter } from '../../../core/trace/trace-filter';

describe("the trace's address filter", () => {
  it('reads any spelling of an address, with or without a port, as the trace holds it', () => {
    expect(endpointFilter({ address: '0:0:0:0:0:0:0:1' })).toEqual({ address: '::1' });
    expect(endpointFilter({ address: '[0::1]:43060' })).toEqual({ address: '::1', port: 43060 });
    expect(endpointFilter({ address: ' 2001:DB8:0:0::1 ' })).toEqual({ address: '2001:db8::1' });
    expect(endpointFilter({ address: '[::FFFF:127.0.0.1]:5060' })).toEqual({
      address: '127.0.0.1',
      port: 5060,
    });
    expect(endpointFilter({ address: '127.0.0.1:5060' })).toEqual({ address: '127.0.0.1', port: 5060 });
  });

  it('writes an IPv6 address in RFC 5952 form, a zone kept, and leaves other text alone', () => {
    expect(canonicalIp('FD00:0:0:0:0:0:0:2')).toBe('fd00::2');
    expect(canonicalIp('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1'); // §4.2.3: the first longest run
    expect(canonicalIp('FE80:0::1%eth0')).toBe('fe80::1%eth0');
    expect(canonicalIp('ims.lab')).toBe('ims.lab');
  });
});
