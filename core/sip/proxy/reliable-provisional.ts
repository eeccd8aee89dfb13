// RFC 3262 §7.1: a provisional response sent reliably carries `Require: 100rel` and an RSeq. Only such a
// one's SDP is an answer to the INVITE's offer (RFC 3261 §13.2.1: "the answer ... MUST be in a reliable
// non-failure message"; RFC 6337 §3.1.1): an unreliable 18x's SDP is a preview the 2xx must repeat.
import type { SipResponse } from '../message/index';

export function reliableProvisional(response: SipResponse): boolean {
  if (!response.has('rseq')) return false; // most 18x: one header lookup
  return response
    .headerValues('require')
    .some((v) => v.split(',').some((tag) => tag.trim().toLowerCase() === '100rel'));
}
