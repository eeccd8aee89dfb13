import { describe, expect, it } from 'vitest';
import {
  callRecord,
  messageRecord,
  optionsRecord,
  registrationRecord,
  shutdownCallRecord,
  uriUser,
} from '../../../core/cdr/from-events';
import { CDR_COLUMNS, ORIGINAL_COLUMN_COUNT } from '../../../core/cdr/record';
import { binding, call, message, options, registration, T0, useShanghaiTime } from './fixtures';

useShanghaiTime();

const SERVER = { address: '192.0.2.1', port: 5060 };

describe('CDR columns', () => {
  it("start with the original's 34, in its order (original-server.md §3.2)", () => {
    expect(CDR_COLUMNS.slice(0, ORIGINAL_COLUMN_COUNT).join(',')).toBe(
      'record_id,record_type,call_state,date,start_time,end_time,call_id,caller_uri,caller_number,' +
        'caller_ip,caller_port,callee_uri,callee_number,callee_ip,callee_port,duration,setup_time,' +
        'status_code,status_text,termination_reason,invite_time,ringing_time,answer_time,bye_time,' +
        'call_type,codec,user_agent,contact,expires,message_body,server_ip,server_port,cseq,extra_info',
    );
    expect(CDR_COLUMNS.slice(ORIGINAL_COLUMN_COUNT)).toEqual([
      'started_at',
      'ended_at',
      'answered_at',
      'pdd_ms',
      'ring_ms',
      'talk_ms',
      'hangup_by',
      'media_direction',
      'callee_user_agent',
      'callee_contact',
      'request_uri',
      'transport',
      'content_type',
      'sip_call_id',
      'setup_ms',
      'end_reason',
      'from_uri',
      'to_uri',
      'aor',
      'caller_contact',
    ]);
  });
});

describe('callRecord', () => {
  it('an answered call ended by BYE: every column', () => {
    expect(callRecord(call())).toEqual({
      record_id: '', // numbered by the store
      record_type: 'CALL',
      call_state: 'ENDED',
      date: '2026-11-24',
      start_time: '00:38:05',
      end_time: '00:38:09',
      call_id: 'a84b4c76e66710@pc33.lab',
      // The raw From and the INVITE's To (the 2xx's tag dropped), as the original wrote them.
      caller_uri: '"Alice" <sip:1001@ims.lab>;tag=1928301774',
      caller_number: '1001',
      caller_ip: '192.0.2.10',
      caller_port: 5061,
      callee_uri: '<sip:1002@ims.lab>',
      callee_number: '1002',
      callee_ip: '192.0.2.20',
      callee_port: 5062,
      duration: 3,
      setup_time: '0.50s',
      status_code: 200,
      status_text: 'OK',
      termination_reason: 'Normal',
      invite_time: '00:38:05.727',
      ringing_time: '00:38:05.930',
      answer_time: '00:38:06.230',
      bye_time: '00:38:09.230',
      call_type: 'AUDIO',
      codec: 'PCMU, PCMA',
      user_agent: 'baresip 3.10',
      contact: '',
      expires: null,
      message_body: '',
      server_ip: '192.0.2.1',
      server_port: 5060,
      cseq: '2 BYE',
      extra_info: '',
      started_at: T0,
      ended_at: T0 + 3503,
      answered_at: T0 + 503,
      pdd_ms: 203,
      ring_ms: 300,
      talk_ms: 3000,
      hangup_by: 'caller',
      media_direction: 'sendrecv',
      callee_user_agent: 'Linphone/5.2',
      callee_contact: 'sip:1002@192.0.2.20:5062',
      request_uri: 'sip:1002@ims.lab',
      transport: '',
      content_type: '',
      sip_call_id: 'a84b4c76e66710@pc33.lab',
      setup_ms: 503,
      end_reason: 'Normal',
      from_uri: 'sip:1001@ims.lab',
      to_uri: 'sip:1002@ims.lab',
      aor: '',
      caller_contact: 'sip:1001@192.0.2.10:5061',
    });
  });

  it("setup_time in the original's seconds text: two decimals and an s, rounded as migration 4 rounds", () => {
    expect(callRecord(call({ answeredAt: T0 + 1999 })).setup_time).toBe('2.00s');
    expect(callRecord(call({ answeredAt: T0 + 507 })).setup_time).toBe('0.51s');
    expect(callRecord(call({ answeredAt: T0 + 1994 })).setup_time).toBe('1.99s');
    expect(callRecord(call({ answeredAt: T0 })).setup_time).toBe('0.00s');
    expect(callRecord(call({ answeredAt: T0 + 12_345, endedAt: T0 + 20_000 })).setup_ms).toBe(12_345);
  });

  it('ended by the operator: FORCED_TERMINATION_BY_MML (RMV CALL) or _CLR_ALL (CLR CALL), ENDED once answered', () => {
    const rmv = callRecord(call({ hangupBy: 'operator', endReason: 'Ended by operator' }));
    expect(rmv).toMatchObject({
      call_state: 'ENDED',
      termination_reason: 'FORCED_TERMINATION_BY_MML',
      end_reason: 'Ended by operator',
    });
    const clr = callRecord(
      call({
        state: 'cancelled',
        answeredAt: undefined,
        statusCode: 487,
        statusText: 'Request Terminated',
        hangupBy: 'operator',
        endReason: 'Ended by operator (CLR CALL)',
      }),
    );
    // Still ringing: CANCELLED (IMS Lab CANCELled it, the caller got 487), the original's words kept.
    expect(clr).toMatchObject({
      call_state: 'CANCELLED',
      status_code: 487,
      termination_reason: 'FORCED_TERMINATION_BY_MML_CLR_ALL',
      end_reason: 'Ended by operator (CLR CALL)',
    });
    // IMS Lab's own endings keep the original's vocabulary: an answered call ends Normal.
    expect(callRecord(call({ hangupBy: 'timeout', endReason: 'Maximum call duration' }))).toMatchObject({
      termination_reason: 'Normal',
      end_reason: 'Maximum call duration',
    });
  });

  it('an authenticated call: aor is the authenticated user; extra_info names it when From withholds it (RFC 3323)', () => {
    const own = callRecord(call({ authenticatedAs: 'sip:1001@ims.lab' }));
    expect([own.caller_number, own.aor, own.extra_info]).toEqual(['1001', 'sip:1001@ims.lab', '']);
    const c = call();
    const anonymous = {
      ...c.caller,
      header: '"Anonymous" <sip:anonymous@anonymous.invalid>;tag=a1',
      uri: 'sip:anonymous@anonymous.invalid',
      number: 'anonymous',
    };
    const withheld = callRecord({ ...c, caller: anonymous, authenticatedAs: 'sip:1001@ims.lab' });
    expect([withheld.caller_number, withheld.aor, withheld.extra_info]).toEqual([
      'anonymous',
      'sip:1001@ims.lab',
      'Authenticated as 1001',
    ]);
    expect(callRecord(call()).aor).toBe(''); // not challenged: nobody authenticated
  });

  it('rounds duration to 0.01 s and keeps talk_ms exact', () => {
    const r = callRecord(call({ endedAt: T0 + 503 + 61_237 }));
    expect(r.duration).toBe(61.24);
    expect(r.talk_ms).toBe(61_237);
  });

  it('a busy callee: FAILED with its status, duration blank (talk time: none), no setup or bye time', () => {
    const r = callRecord(
      call({
        state: 'failed',
        answeredAt: undefined,
        endedAt: T0 + 1500,
        statusCode: 486,
        statusText: 'Busy Here',
        endReason: '',
        hangupBy: 'callee',
        cseq: '1 INVITE',
      }),
    );
    expect(r).toMatchObject({
      call_state: 'FAILED',
      status_code: 486,
      status_text: 'Busy Here',
      termination_reason: '486 Busy Here',
      duration: null,
      talk_ms: 0,
      setup_time: '',
      setup_ms: null,
      answered_at: null,
      answer_time: '',
      bye_time: '',
      ringing_time: '00:38:05.930',
      pdd_ms: 203,
      ring_ms: 1297,
      end_time: '00:38:07',
      hangup_by: 'callee',
      cseq: '1 INVITE',
    });
  });

  it('a cancelled call that never rang: CANCELLED, User Cancelled, no ring figures', () => {
    const r = callRecord(
      call({
        state: 'cancelled',
        ringingAt: undefined,
        answeredAt: undefined,
        endedAt: T0 + 900,
        statusCode: 487,
        statusText: 'Request Terminated',
        endReason: '',
        cseq: '1 CANCEL',
      }),
    );
    expect(r).toMatchObject({
      call_state: 'CANCELLED',
      termination_reason: 'User Cancelled',
      // The 487 its caller got (the original wrote none), as a call the operator cancelled has.
      status_code: 487,
      status_text: 'Request Terminated',
      ringing_time: '',
      pdd_ms: null,
      ring_ms: null,
      duration: null,
    });
  });

  it("a call across midnight keeps its start date; the event's time stands in for a missing endedAt", () => {
    const start = Date.UTC(2026, 10, 24, 15, 59, 58, 0); // 23:59:58 on the 24th, UTC+8
    const r = callRecord(
      call({ startedAt: start, ringingAt: undefined, answeredAt: start + 1000, endedAt: undefined }),
      start + 6000,
    );
    expect(r).toMatchObject({
      date: '2026-11-24',
      start_time: '23:59:58',
      end_time: '00:00:04',
      bye_time: '00:00:04.000',
      duration: 5,
      ended_at: start + 6000,
    });
  });

  it('video and several codecs; a port of 0 (unknown) is blank, not 0', () => {
    const c = call();
    const r = callRecord(
      call({
        media: { kinds: ['audio', 'video'], codecs: ['PCMA', 'H264'], direction: 'sendonly' },
        callee: { ...c.callee, address: '', port: 0 },
      }),
    );
    expect(r).toMatchObject({
      call_type: 'AUDIO+VIDEO',
      codec: 'PCMA, H264',
      media_direction: 'sendonly',
      callee_ip: '',
      callee_port: null,
    });
  });

  // Its status is the 487 Request Terminated a CANCEL gets, as a row RMV CALL or the stop's own CANCEL
  // ended has it: it was blank (the recorder's backstop at stop, recorder.ts recordLiveCalls).
  it('shutdownCallRecord closes a call still ringing as CANCELLED by the system, 487', () => {
    const live = call({
      state: 'ringing',
      answeredAt: undefined,
      endedAt: undefined,
      statusCode: 0,
      statusText: '',
      endReason: '',
      hangupBy: undefined,
      cseq: '1 INVITE',
    });
    expect(shutdownCallRecord(live, T0 + 10_000)).toMatchObject({
      call_state: 'CANCELLED',
      termination_reason: 'FORCED_TERMINATION_BY_SHUTDOWN',
      end_reason: 'System shutdown',
      hangup_by: 'system',
      status_code: 487,
      status_text: 'Request Terminated',
      duration: null,
      end_time: '00:38:15',
      ended_at: T0 + 10_000,
      ring_ms: 10_000 - 203,
      bye_time: '',
    });
  });
});

describe('registrationRecord', () => {
  it('bound: REGISTER SUCCESS with the AOR as registered, the source, the contact and the seconds granted', () => {
    const r = registrationRecord(
      registration('bound', binding({ expiresAt: T0 + 3600_000, registeredAor: 'sip:1001@192.0.2.1:5060' })),
      SERVER,
    );
    expect(r).toEqual({
      record_id: '', // numbered by the store
      ...callRecordBlank(),
      record_type: 'REGISTER',
      call_state: 'SUCCESS',
      call_id: '422098@192.0.2.10',
      caller_uri: 'sip:1001@192.0.2.1:5060',
      caller_number: '1001',
      caller_ip: '192.0.2.10',
      caller_port: 5061,
      status_code: 200,
      status_text: 'OK',
      user_agent: 'baresip 3.10',
      contact: 'sip:1001@192.0.2.10:5061;transport=udp',
      expires: 3600,
      server_ip: '192.0.2.1',
      server_port: 5060,
      cseq: '2 REGISTER',
      transport: 'UDP',
      sip_call_id: '422098@192.0.2.10',
      aor: 'sip:1001@ims.lab',
    });
    // Without the AOR as registered (a binding from an older database), the canonical one.
    expect(registrationRecord(registration('bound', binding()), SERVER).caller_uri).toBe('sip:1001@ims.lab');
  });

  it("removed by the UA: REGISTER UNREGISTERED, 200 OK, no expires nor server (as the original's row)", () => {
    const r = registrationRecord(registration('removed', binding({ cseq: 5 }), T0, 'unregister'), SERVER);
    expect(r).toMatchObject({
      record_type: 'REGISTER',
      call_state: 'UNREGISTERED',
      status_code: 200,
      status_text: 'OK',
      termination_reason: '',
      end_reason: 'Unregistered',
      expires: null,
      cseq: '5 REGISTER',
      server_ip: '',
      server_port: null,
    });
  });

  it("an unregistration's row has its own request's CSeq and Call-ID", () => {
    const e = registration('removed', binding({ cseq: 5 }), T0, 'unregister');
    const r = registrationRecord({ ...e, request: { callId: 'bye@192.0.2.10', cseq: 7 } }, SERVER);
    expect(r).toMatchObject({ cseq: '7 REGISTER', call_id: 'bye@192.0.2.10', sip_call_id: 'bye@192.0.2.10' });
  });

  it('expired: REGISTER EXPIRED with no status; removed by an operator says so', () => {
    expect(registrationRecord(registration('expired', binding(), T0 + 3600_000))).toMatchObject({
      record_type: 'REGISTER',
      call_state: 'EXPIRED',
      status_code: null,
      status_text: '',
      termination_reason: '',
      end_reason: 'Expired',
      expires: null,
      start_time: '01:38:05',
      server_ip: '',
      server_port: null,
    });
    expect(registrationRecord(registration('removed', binding(), T0, 'operator'))).toMatchObject({
      call_state: 'UNREGISTERED',
      status_code: null,
      end_reason: 'Removed by operator',
    });
  });

  it('uriUser takes the user part of sip, sips and tel URIs', () => {
    expect(uriUser('sip:1001@ims.lab')).toBe('1001');
    expect(uriUser('sips:alice@example.com:5061;transport=tls')).toBe('alice');
    expect(uriUser('tel:+8613800000000')).toBe('+8613800000000');
    expect(uriUser('sip:ims.lab')).toBe('');
    expect(uriUser('nonsense')).toBe('');
  });
});

describe('messageRecord', () => {
  it("a delivered MESSAGE: COMPLETED, the original's call_id, the body and both parties", () => {
    expect(messageRecord(message())).toEqual({
      record_id: '', // numbered by the store
      ...callRecordBlank(),
      record_type: 'MESSAGE',
      call_state: 'COMPLETED',
      call_id: '595219@192.0.2.10-1 MESSAGE',
      caller_uri: '"Alice" <sip:1001@ims.lab>;tag=1928301774',
      caller_number: '1001',
      caller_ip: '192.0.2.10',
      caller_port: 5061,
      callee_uri: '<sip:1002@ims.lab>;tag=a6c85cf',
      callee_number: '1002',
      callee_ip: '192.0.2.20',
      callee_port: 5062,
      status_code: 200,
      status_text: 'OK',
      user_agent: 'baresip 3.10',
      message_body: 'Hello, "Bob"\r\nsecond line',
      server_ip: '192.0.2.1',
      server_port: 5060,
      cseq: '1 MESSAGE',
      callee_user_agent: 'Linphone/5.2',
      callee_contact: 'sip:1002@192.0.2.20:5062',
      content_type: 'text/plain;charset=UTF-8',
      sip_call_id: '595219@192.0.2.10',
      from_uri: 'sip:1001@ims.lab',
      to_uri: 'sip:1002@ims.lab',
      caller_contact: 'sip:1001@192.0.2.10:5061',
    });
  });

  it('an unanswered MESSAGE is FAILED with its real status; the body is kept whole (README)', () => {
    const r = messageRecord(
      message({ statusCode: 408, statusText: 'Request Timeout', body: '好'.repeat(600) }),
    );
    expect(r).toMatchObject({
      call_state: 'FAILED',
      status_code: 408,
      termination_reason: '',
      end_reason: '408 Request Timeout',
    });
    // No longer the original's first 500 characters: the proxy bounds it (message-text.ts).
    expect(r.message_body).toBe('好'.repeat(600));
    expect(messageRecord(message({ body: '😀'.repeat(501) })).message_body).toBe('😀'.repeat(501));
  });

  it('a MESSAGE starts when it arrived and ends when its answer went back (32 s to a 408)', () => {
    const r = messageRecord(message({ sentAt: T0, at: T0 + 32_000, statusCode: 408 }));
    expect([r.started_at, r.ended_at]).toEqual([T0, T0 + 32_000]);
    expect(r.start_time).not.toBe(r.end_time);
  });
});

describe('optionsRecord', () => {
  it('a relayed OPTIONS starts when it arrived and ends when its answer (here Timer F, 32 s on) went back', () => {
    const r = optionsRecord(options({ sentAt: T0, at: T0 + 32_000, statusCode: 408 }));
    expect([r.started_at, r.ended_at]).toEqual([T0, T0 + 32_000]);
    expect([r.start_time, r.end_time]).toEqual(['00:38:05', '00:38:37']);
    expect(r.call_state).toBe('FAILED');
  });
});

/** The columns a non-call row leaves at their empty values, at T0. */
function callRecordBlank(): Record<string, unknown> {
  return {
    date: '2026-11-24',
    start_time: '00:38:05',
    end_time: '00:38:05',
    callee_uri: '',
    callee_number: '',
    callee_ip: '',
    callee_port: null,
    duration: null,
    setup_time: '',
    termination_reason: '',
    invite_time: '',
    ringing_time: '',
    answer_time: '',
    bye_time: '',
    call_type: '',
    codec: '',
    expires: null,
    message_body: '',
    extra_info: '',
    started_at: T0,
    ended_at: T0,
    answered_at: null,
    pdd_ms: null,
    ring_ms: null,
    talk_ms: null,
    hangup_by: '',
    media_direction: '',
    callee_user_agent: '',
    callee_contact: '',
    request_uri: '',
    transport: '',
    content_type: '',
    setup_ms: null,
    end_reason: '',
    from_uri: '',
    to_uri: '',
    aor: '',
    caller_contact: '',
    contact: '',
  };
}
