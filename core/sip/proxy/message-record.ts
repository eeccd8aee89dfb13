// What the CDR keeps of a MESSAGE (RFC 3428) the proxy forwarded: who to whom, the text (message-text.ts:
// whole, in its charset; a body that is no text described) and the final answer (as of an OPTIONS).
import type { CallParty, MessageEvent, OptionsEvent } from '../../calls/call';
import { keptText, userNumber, type SipRequest, type SipResponse } from '../message/index';
import type { Peer } from '../transport/peer';
import type { LocalIdentity } from './local-identity';
import { messageText } from './message-text';

export function partyOf(req: SipRequest, which: 'from' | 'to', at?: Peer): CallParty {
  const na = which === 'from' ? req.from : req.to;
  let number = '';
  try {
    const uri = na.uri;
    number = userNumber(uri);
  } catch {
    // A malformed URI still gets its record, without a number.
  }
  return {
    header: req.headerText(which) ?? '',
    uri: na.uriText,
    number,
    address: at?.address ?? '',
    port: at?.port ?? 0,
    ...(at !== undefined ? { transport: at.transport } : {}),
    userAgent: which === 'from' ? keptText(req.headerText('user-agent') ?? '') : '',
    contact: '',
  };
}

/** What the record says of the MESSAGE itself, read when it arrives (before it is retargeted). */
export function messageEvent(
  req: SipRequest,
  source: Peer,
  target: Peer | undefined,
  me: LocalIdentity,
): MessageEvent {
  const type = req.contentType;
  const contentType = type === undefined ? '' : `${type.type}/${type.subtype}`;
  return {
    callId: req.callId,
    cseq: `${req.cseq.seq} ${req.cseq.method}`,
    from: partyOf(req, 'from', source),
    to: partyOf(req, 'to', target),
    body: messageText(type, req.body),
    contentType,
    statusCode: 0,
    statusText: '',
    sentAt: Date.now(),
    at: 0,
    serverAddress: me.options.advertised,
    serverPort: me.port,
  };
}

/**
 * A MESSAGE's or OPTIONS's record completed with the final answer: the recipient's Server / User-Agent,
 * and where it came from (`answeredBy`, the branch's next hop: of several forked devices, the one that
 * answered).
 */
export function answeredRecord<T extends MessageEvent | OptionsEvent>(
  record: T,
  status: number,
  statusText: string,
  answer: SipResponse | undefined,
  at: number,
  answeredBy?: Peer,
): T {
  const userAgent = keptText(answer?.headerText('server') ?? answer?.headerText('user-agent') ?? '');
  const where =
    answeredBy === undefined
      ? {}
      : { address: answeredBy.address, port: answeredBy.port, transport: answeredBy.transport };
  return {
    ...record,
    to: { ...record.to, ...where, userAgent },
    statusCode: status,
    statusText: keptText(statusText),
    at,
  };
}
