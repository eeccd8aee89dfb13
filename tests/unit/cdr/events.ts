// CDR test events as the call tracker, the location service and the proxy emit them. No vitest import:
// the crash test's child process uses these too.
import type { Call, CallEvent, MessageEvent, OptionsEvent } from '../../../core/calls/call';
import type { Binding, RegistrationEvent } from '../../../core/sip/registrar/binding';

/** 2026-11-24 00:38:05.727 in UTC+8. */
export const T0 = Date.UTC(2026, 10, 23, 16, 38, 5, 727);

export function call(changes: Partial<Call> = {}): Call {
  return {
    id: 'a84b4c76e66710@pc33.lab',
    callId: 'a84b4c76e66710@pc33.lab',
    state: 'ended',
    caller: {
      header: '"Alice" <sip:1001@ims.lab>;tag=1928301774',
      uri: 'sip:1001@ims.lab',
      number: '1001',
      address: '192.0.2.10',
      port: 5061,
      userAgent: 'baresip 3.10',
      contact: 'sip:1001@192.0.2.10:5061',
    },
    callee: {
      header: '<sip:1002@ims.lab>;tag=a6c85cf',
      uri: 'sip:1002@ims.lab',
      number: '1002',
      address: '192.0.2.20',
      port: 5062,
      userAgent: 'Linphone/5.2',
      contact: 'sip:1002@192.0.2.20:5062',
    },
    requestUri: 'sip:1002@ims.lab',
    media: { kinds: ['audio'], codecs: ['PCMU', 'PCMA'], direction: 'sendrecv' },
    startedAt: T0,
    ringingAt: T0 + 203,
    answeredAt: T0 + 503,
    endedAt: T0 + 3503,
    statusCode: 200,
    statusText: 'OK',
    endReason: 'Normal',
    hangupBy: 'caller',
    cseq: '2 BYE',
    serverAddress: '192.0.2.1',
    serverPort: 5060,
    ...changes,
  };
}

export function callEvent(
  type: CallEvent['type'],
  c: Call = call(),
  at = c.endedAt ?? c.startedAt,
): CallEvent {
  return { type, call: c, at };
}

export function binding(changes: Partial<Binding> = {}): Binding {
  return {
    aor: 'sip:1001@ims.lab',
    contact: 'sip:1001@192.0.2.10:5061;transport=udp',
    contactParams: '',
    expiresAt: T0 + 3600_000,
    q: undefined,
    callId: '422098@192.0.2.10',
    cseq: 2,
    sourceAddress: '192.0.2.10',
    sourcePort: 5061,
    transport: 'UDP',
    userAgent: 'baresip 3.10',
    createdAt: T0,
    updatedAt: T0,
    ...changes,
  };
}

export function registration(
  type: RegistrationEvent['type'],
  b: Binding = binding(),
  at = T0,
  cause?: RegistrationEvent['cause'],
): RegistrationEvent {
  return cause === undefined ? { type, binding: b, at } : { type, binding: b, at, cause };
}

export function options(changes: Partial<OptionsEvent> = {}): OptionsEvent {
  const c = call();
  return {
    callId: 'opt-1@192.0.2.10',
    cseq: '1 OPTIONS',
    from: c.caller,
    to: c.callee,
    statusCode: 200,
    statusText: 'OK',
    sentAt: T0,
    at: T0,
    ...changes,
  };
}

export function message(changes: Partial<MessageEvent> = {}): MessageEvent {
  const c = call();
  return {
    callId: '595219@192.0.2.10',
    cseq: '1 MESSAGE',
    from: c.caller,
    to: c.callee,
    body: 'Hello, "Bob"\r\nsecond line',
    contentType: 'text/plain;charset=UTF-8',
    statusCode: 200,
    statusText: 'OK',
    sentAt: T0,
    at: T0,
    serverAddress: '192.0.2.1',
    serverPort: 5060,
    ...changes,
  };
}
