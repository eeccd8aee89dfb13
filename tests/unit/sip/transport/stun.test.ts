// STUN keep-alives answered on the SIP UDP port (RFC 5626 §8; core/sip/transport/stun.ts): a Binding
// request gets a success response with the same transaction ID and the source in XOR-MAPPED-ADDRESS
// (RFC 5389 §15.2, checked against RFC 5769's sample values), a FINGERPRINT when the request had one
// (§15.5); anything else is not answered, and SIP is never taken for STUN. A request with a
// comprehension-required attribute not understood gets a 420 error listing them instead (§7.3.1).
import { describe, expect, it } from 'vitest';
import { crc32 } from 'node:zlib';
import { isStun, stunBindingResponse } from '../../../../core/sip/transport/stun';

/** RFC 5769 §2.2-2.3's transaction ID. */
const TID = Buffer.from('b7e7a701bc34d686fa87dfae', 'hex');

function bindingRequest(fingerprint: boolean): Buffer {
  const header = Buffer.alloc(20);
  header.writeUInt16BE(0x0001, 0);
  header.writeUInt32BE(0x2112a442, 4);
  TID.copy(header, 8);
  if (!fingerprint) return header;
  const out = Buffer.concat([header, Buffer.alloc(8)]);
  out.writeUInt16BE(8, 2);
  out.writeUInt16BE(0x8028, 20);
  out.writeUInt16BE(4, 22);
  out.writeUInt32BE((crc32(out.subarray(0, 20)) ^ 0x5354554e) >>> 0, 24);
  return out;
}

/** The attributes of a STUN message by type. */
function attributes(m: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  for (let at = 20; at + 4 <= m.length;) {
    const type = m.readUInt16BE(at);
    const length = m.readUInt16BE(at + 2);
    out.set(type, m.subarray(at + 4, at + 4 + length));
    at += 4 + Math.ceil(length / 4) * 4;
  }
  return out;
}

describe('STUN Binding on the SIP port', () => {
  it('RFC 5769 §2.2: 192.0.2.1:32853 as XOR-MAPPED-ADDRESS, the same transaction ID', () => {
    const r = stunBindingResponse(bindingRequest(false), {
      transport: 'UDP',
      address: '192.0.2.1',
      port: 32853,
    })!;
    expect(r.readUInt16BE(0)).toBe(0x0101);
    expect(r.readUInt16BE(2)).toBe(r.length - 20);
    expect(r.subarray(8, 20)).toEqual(TID);
    expect(attributes(r).get(0x0020)!.toString('hex')).toBe('0001a147e112a643');
    expect(attributes(r).has(0x8028)).toBe(false);
  });

  it('RFC 5769 §2.3: an IPv6 source, XOR-ed with the cookie and the transaction ID', () => {
    const r = stunBindingResponse(bindingRequest(false), {
      transport: 'UDP',
      address: '2001:db8:1234:5678:11:2233:4455:6677',
      port: 32853,
    })!;
    expect(attributes(r).get(0x0020)!.toString('hex')).toBe('0002a1470113a9faa5d3f179bc25f4b5bed2b9d9');
  });

  it('§15.5: a FINGERPRINT when the request had one, over the response up to it', () => {
    const r = stunBindingResponse(bindingRequest(true), {
      transport: 'UDP',
      address: '127.0.0.1',
      port: 5062,
    })!;
    const fp = attributes(r).get(0x8028)!;
    // The CRC-32 is ISO 3309's (its check value), taken over the message up to the attribute.
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(fp.readUInt32BE(0)).toBe((crc32(r.subarray(0, r.length - 8)) ^ 0x5354554e) >>> 0);
  });

  it('answers Binding requests only; SIP and CRLF keep-alives are not STUN', () => {
    const indication = bindingRequest(false);
    indication.writeUInt16BE(0x0011, 0); // a Binding indication: no answer (RFC 5389 §7.3.2)
    expect(isStun(indication)).toBe(true);
    expect(
      stunBindingResponse(indication, { transport: 'UDP', address: '127.0.0.1', port: 1 }),
    ).toBeUndefined();
    const noCookie = bindingRequest(false);
    noCookie.writeUInt32BE(0, 4);
    expect(isStun(noCookie)).toBe(false);
    expect(isStun(Buffer.from('OPTIONS sip:x SIP/2.0\r\n\r\n'))).toBe(false);
    expect(isStun(Buffer.from('\r\n\r\n'))).toBe(false);
  });
});

/** A Binding request with these attributes (type, value in hex; padded), and a FINGERPRINT if asked. */
function requestWith(attributes: [number, string][], fingerprint = false): Buffer {
  const parts = [bindingRequest(false)];
  for (const [type, hex] of attributes) {
    const value = Buffer.from(hex, 'hex');
    const head = Buffer.alloc(4);
    head.writeUInt16BE(type, 0);
    head.writeUInt16BE(value.length, 2);
    parts.push(head, value, Buffer.alloc((4 - (value.length % 4)) % 4));
  }
  if (fingerprint) parts.push(Buffer.from('8028000400000000', 'hex'));
  const out = Buffer.concat(parts);
  out.writeUInt16BE(out.length - 20, 2);
  if (!fingerprint) return out;
  out.writeUInt32BE((crc32(out.subarray(0, out.length - 8)) ^ 0x5354554e) >>> 0, out.length - 4);
  return out;
}

const FROM = { transport: 'UDP' as const, address: '192.0.2.1', port: 32853 };
/** ERROR-CODE 420 (RFC 5389 §15.6): class 4, number 20, "Unknown Attribute" (17 bytes) and 3 of padding. */
const ERROR_420 = '00090015' + '00000414' + '556e6b6e6f776e20417474726962757465' + '000000';

describe('STUN: unknown comprehension-required attributes (RFC 5389 §7.3.1)', () => {
  it('0x0003 and 0x7FFF: a 420 Binding error listing each once; SOFTWARE (optional) ignored', () => {
    const request = requestWith([
      [0x8022, '74657374'], // SOFTWARE: comprehension-optional
      [0x0003, '00000000'], // CHANGE-REQUEST (RFC 5780): not done here
      [0x7fff, 'ab'],
      [0x0003, '00000004'],
    ]);
    const r = stunBindingResponse(request, FROM)!;
    expect(r.toString('hex')).toBe(
      '0111' + '0024' + '2112a442' + TID.toString('hex') + ERROR_420 + '000a0004' + '00037fff',
    );
  });

  it('§15.9: UNKNOWN-ATTRIBUTES padded to 4 bytes; a FINGERPRINT as the request had one (§15.5)', () => {
    const r = stunBindingResponse(requestWith([[0x7fff, '']], true), FROM)!;
    const body = '0111' + '002c' + '2112a442' + TID.toString('hex') + ERROR_420 + '000a0002' + '7fff0000';
    const crc = (crc32(Buffer.from(body, 'hex')) ^ 0x5354554e) >>> 0;
    expect(r.toString('hex')).toBe(body + '80280004' + crc.toString(16).padStart(8, '0'));
  });

  it('RFC 5769 §2.1: an ICE check on the SIP port, PRIORITY (0x0024) not understood: 420 with FINGERPRINT', () => {
    // The sample request as printed: SOFTWARE, PRIORITY, ICE-CONTROLLED, USERNAME, MESSAGE-INTEGRITY,
    // FINGERPRINT. USERNAME and MESSAGE-INTEGRITY are known; SOFTWARE and ICE-CONTROLLED optional.
    const sample = Buffer.from(
      '000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74' +
        '002400046e0001ff80290008932ff9b151263b36000600096576746a3a68367659202020' +
        '000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf',
      'hex',
    );
    const r = stunBindingResponse(sample, FROM)!;
    const body = '0111' + '002c' + '2112a442' + TID.toString('hex') + ERROR_420 + '000a0002' + '00240000';
    const crc = (crc32(Buffer.from(body, 'hex')) ^ 0x5354554e) >>> 0;
    expect(r.toString('hex')).toBe(body + '80280004' + crc.toString(16).padStart(8, '0'));
  });

  it('USERNAME, MESSAGE-INTEGRITY (no credentials here: ignored) and what follows it: a success', () => {
    const request = requestWith(
      [
        [0x0006, '6576746a3a683676'], // USERNAME
        [0x8029, '932ff9b151263b36'], // ICE-CONTROLLED: comprehension-optional
        [0x0008, '00'.repeat(20)], // MESSAGE-INTEGRITY: not checked, nothing to check it with
        [0x7fff, '01'], // §15.4: after MESSAGE-INTEGRITY, ignored
      ],
      true,
    );
    const r = stunBindingResponse(request, FROM)!;
    const body = '0101' + '0014' + '2112a442' + TID.toString('hex') + '00200008' + '0001a147e112a643';
    const crc = (crc32(Buffer.from(body, 'hex')) ^ 0x5354554e) >>> 0;
    expect(r.toString('hex')).toBe(body + '80280004' + crc.toString(16).padStart(8, '0'));
  });
});
