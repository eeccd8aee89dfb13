// A phone registered through an edge proxy (a P-CSCF, Kamailio) with a Path and a GRUU as its Contact
// (RFC 5627 §4.2): in its dialogs the far end's requests carry the route set "us, the edge proxy" and the
// GRUU as Request-URI. Once our Routes are popped the edge proxy's is left (and ours may name the
// edge's flow, RFC 5626 §5.3); the request went on with the GRUU untouched, a name only IMS Lab can
// resolve (Kamailio: 478 Unresolvable destination), and the phone never got the BYE or NOTIFY. RFC 5627
// §7.1: the proxy that owns the GRUU resolves it, to the device's contact along its Path.
import { describe, expect, it } from 'vitest';
import type { SipRequest, SipResponse } from '../../../../core/sip/message/index';
import { paramValue } from '../../../../core/sip/message/scanner';
import { flowToken } from '../../../../core/sip/proxy/flow-token';
import type { Peer } from '../../../../core/sip/transport/peer';
import { SERVER, kinds, markOf, stack } from './stack';

const EDGE: Peer = { transport: 'UDP', address: '198.51.100.40', port: 5060 };
const FAR: Peer = { transport: 'UDP', address: '10.0.0.5', port: 5062 };
const AT = `${SERVER.address}:${SERVER.port}`;
const INSTANCE = 'urn:uuid:9f343f62-cbdb-14a7-bd24-2fe0448c1fcf';
const CONTACT = 'sip:1002-0x55c2@203.0.113.9:5080;ob';
const PATH = `<sip:${EDGE.address}:${EDGE.port};lr;ob>`;
const EDGE_RR = `<sip:${EDGE.address}:${EDGE.port};lr=on;ftag=gr-a>`;

type Stack = ReturnType<typeof stack>;

/** 1002 registers through the edge proxy (its Path, outbound), and gets its public GRUU. */
async function registerBehindEdge(s: Stack): Promise<string> {
  const before = s.sent.length;
  await s.receive(
    [
      `REGISTER sip:${AT} SIP/2.0`,
      `Via: SIP/2.0/UDP ${EDGE.address}:${EDGE.port};branch=z9hG4bK-edge-reg`,
      'Via: SIP/2.0/UDP 203.0.113.9:5080;branch=z9hG4bK-ue-reg;rport',
      'Max-Forwards: 69',
      `From: <sip:1002@${SERVER.address}>;tag=ue`,
      `To: <sip:1002@${SERVER.address}>`,
      'Call-ID: gr-edge-reg',
      'CSeq: 1 REGISTER',
      'Supported: path, outbound, gruu',
      `Path: ${PATH}`,
      `Contact: <${CONTACT}>;reg-id=1;+sip.instance="<${INSTANCE}>"`,
      'Expires: 3600',
    ],
    EDGE,
  );
  const ok = s.sentTo(EDGE, before).find((m) => kinds([m])[0] === '200') as SipResponse;
  const pub = paramValue(ok.contacts[0]!.params, 'pub-gruu');
  expect(typeof pub).toBe('string');
  return (pub as string).replace(/^"|"$/g, '');
}

/** The far end's request in its dialog with the GRUU phone (which called it through the edge proxy). */
function farRequest(method: string, gruu: string, ours: string[], seq: number): string[] {
  const from = '<sip:1001@lab.example>;tag=far';
  const to = `<sip:1002@lab.example>;tag=gr-a`;
  return [
    `${method} ${gruu} SIP/2.0`,
    `Via: SIP/2.0/UDP ${FAR.address}:${FAR.port};branch=z9hG4bK-far-${method}-${seq};rport`,
    'Max-Forwards: 70',
    `Route: ${[...ours, EDGE_RR].join(', ')}`,
    `From: ${from}`,
    `To: ${to}`,
    'Call-ID: gr-edge-dialog',
    `CSeq: ${seq} ${method}`,
  ];
}

/** Our Record-Route entries of that dialog (its mark: the phone called, so it is the dialog's caller). */
function ourRoutes(flow: boolean): string[] {
  const mark = markOf('gr-edge-dialog', '<sip:1002@lab.example>;tag=gr-a', '<sip:1001@lab.example>');
  const token = flowToken(EDGE, true)!;
  return flow
    ? [`<sip:${AT};lr;dlg=${mark}>`, `<sip:${AT};lr;dlg=${mark};flow=${token}>`]
    : [`<sip:${AT};lr;dlg=${mark}>`];
}

describe('RFC 5627 §7.1: an in-dialog request to a GRUU of a phone behind an edge proxy', () => {
  for (const flow of [false, true]) {
    it(`is resolved to the device's contact along its Path, the edge's Route kept after it${flow ? ' (our Route names the flow)' : ''}`, async () => {
      const s = stack();
      const gruu = await registerBehindEdge(s);
      for (const [i, method] of ['NOTIFY', 'BYE', 'ACK'].entries()) {
        const before = s.sent.length;
        await s.receive(farRequest(method, gruu, ourRoutes(flow), i + 2), FAR);
        const out = s.sentTo(EDGE, before).filter((m) => kinds([m])[0] === method) as SipRequest[];
        expect(out, method).toHaveLength(1);
        expect(out[0]!.uri, method).toBe(CONTACT);
        expect(
          out[0]!.routes.map((r) => r.raw),
          method,
        ).toEqual([PATH, EDGE_RR]);
        expect(kinds(s.sentTo(FAR, before)), method).not.toContain('480');
      }
    });
  }
});
