import { describe, expect, it } from 'vitest';
import type {
  DialerCallResultData,
  DialerCampaignData,
  DialerSnapshotData,
} from '../../../../core/control/contract';
import {
  applyDialerEvents,
  asrText,
  callCommand,
  CALL_FORM_KEY,
  currentCampaign,
  emptyCallForm,
  hasActivity,
  keptCallForm,
  KEPT_RESULTS,
  promptName,
  refreshLive,
  useDialer,
  viewOfSnapshot,
} from './store';
import { ownClockNow } from '../../components/own-clock';

const figures = (placed = 0, answered = 0) => ({
  placed,
  completed: placed,
  answered,
  failed: placed - answered,
  cancelled: 0,
  byCode: {},
  asr: null,
  acdSeconds: null,
  pddP50Ms: null,
  pddP95Ms: null,
  rtpSent: 0,
  rtpReceived: 0,
  rtpLost: 0,
  jitterMeanMs: null,
  jitterMaxMs: null,
});

const campaign = (id: string, over: Partial<DialerCampaignData> = {}): DialerCampaignData => ({
  id,
  state: 'running',
  mediaFile: '/app/media/default.wav',
  durationMs: 2000,
  concurrency: 1,
  rate: 1,
  total: 2,
  inProgress: 1,
  startedAt: 1000,
  figures: figures(),
  live: [],
  recent: [],
  ...over,
});

const result = (number: string, over: Partial<DialerCallResultData> = {}): DialerCallResultData => ({
  number,
  callId: `call-${number}`,
  status: 200,
  reason: 'OK',
  answered: true,
  end: 'local',
  startedAt: 1000,
  endedAt: 4000,
  pddMs: 30,
  talkMs: 2000,
  rtpSent: 100,
  rtpReceived: 99,
  rtpLost: 1,
  jitterMs: 0.5,
  maxJitterMs: 1.2,
  ...over,
});

const snapshot = (over: Partial<DialerSnapshotData> = {}): DialerSnapshotData => ({
  state: 'running',
  registered: true,
  account: 'dialer',
  rtpPortsInUse: 2,
  campaigns: [],
  totals: { placed: 0, answered: 0, failed: 0, cancelled: 0 },
  mediaFiles: ['media/default.wav'],
  ...over,
});

describe('the dialer view from its snapshot', () => {
  it('lists the live calls and the finished ones (newest first) of every campaign', () => {
    const v = viewOfSnapshot(
      snapshot({
        campaigns: [
          campaign('C0001', {
            state: 'finished',
            recent: [result('1001', { endedAt: 2000 }), result('1002', { endedAt: 3000 })],
          }),
          campaign('C0002', {
            live: [
              {
                number: '1003',
                callId: 'x',
                state: 'answered',
                startedAt: 5000,
                rtpSent: 10,
                rtpReceived: 9,
              },
            ],
            recent: [result('1004', { endedAt: 6000 })],
          }),
        ],
      }),
    );
    expect(v.live).toEqual([expect.objectContaining({ number: '1003', campaignId: 'C0002' })]);
    expect(v.finished.map((f) => [f.number, f.campaignId])).toEqual([
      ['1004', 'C0002'],
      ['1002', 'C0001'],
      ['1001', 'C0001'],
    ]);
    expect(v.service.mediaFiles).toEqual(['media/default.wav']);
    expect(currentCampaign(v)?.id).toBe('C0002');
    expect(hasActivity(v)).toBe(true);
  });

  it('has no current campaign and no activity before any call', () => {
    const v = viewOfSnapshot(snapshot());
    expect(currentCampaign(v)).toBeUndefined();
    expect(hasActivity(v)).toBe(false);
  });
});

describe('dialer events', () => {
  const live = {
    number: '1002',
    callId: 'call-1002',
    state: 'answered',
    startedAt: 1000,
    rtpSent: 5,
    rtpReceived: 5,
  };

  it('a call result moves its call from live to finished', () => {
    const v0 = viewOfSnapshot(snapshot({ campaigns: [campaign('C0001', { live: [live] })] }));
    const v1 = applyDialerEvents(v0, [
      { type: 'call', campaignId: 'C0001', result: result('1002') },
      { type: 'call', campaignId: 'C0001', result: result('1003', { status: 486, answered: false }) },
    ]);
    expect(v1.live).toEqual([]);
    expect(v1.finished.map((f) => f.status)).toEqual([486, 200]);
    // The same result again (a snapshot overlap) is not counted twice.
    const v2 = applyDialerEvents(v1, [{ type: 'call', campaignId: 'C0001', result: result('1002') }]);
    expect(v2.finished).toHaveLength(2);
  });

  it('the totals follow the campaigns’ progress: placed at the call, answered at the answer', () => {
    const v0 = viewOfSnapshot(
      snapshot({
        campaigns: [campaign('C0001', { state: 'finished', figures: figures(2, 1) })],
        totals: { placed: 2, answered: 1, failed: 1, cancelled: 0 },
      }),
    );
    const talking = { ...figures(3, 3), completed: 0, failed: 0 }; // 3 calls up, all answered
    const v1 = applyDialerEvents(v0, [
      { type: 'progress', campaign: campaign('C0002', { figures: figures(1, 0), total: 3 }) },
      { type: 'progress', campaign: campaign('C0002', { figures: talking, inProgress: 3, total: 3 }) },
    ]);
    expect(v1.service.totals).toEqual({ placed: 5, answered: 4, failed: 1, cancelled: 0 });
  });

  it('a progress event updates the figures, adds a new campaign, and keeps the lists events leave out', () => {
    const v0 = viewOfSnapshot(
      snapshot({ campaigns: [campaign('C0001', { live: [live], recent: [result('1001')] })] }),
    );
    const v1 = applyDialerEvents(v0, [
      { type: 'progress', campaign: campaign('C0001', { figures: figures(1, 1) }) },
      { type: 'progress', campaign: campaign('C0002', { total: 10 }) },
    ]);
    expect(v1.campaigns.map((c) => c.id)).toEqual(['C0001', 'C0002']);
    expect(v1.campaigns[0]!.figures.answered).toBe(1);
    expect(v1.campaigns[0]!.live).toEqual([live]);
    expect(v1.campaigns[0]!.recent).toHaveLength(1);
    expect(currentCampaign(v1)?.total).toBe(10);
    expect(v1.live).toHaveLength(1);
    // Finished: its calls are no longer live.
    const v2 = applyDialerEvents(v1, [
      { type: 'progress', campaign: campaign('C0001', { state: 'stopped', inProgress: 0 }) },
    ]);
    expect(v2.live).toEqual([]);
    expect(hasActivity(v2)).toBe(true); // C0002 still runs
  });

  it('the service stopping ends every live call; starting again says registered', () => {
    const v0 = viewOfSnapshot(snapshot({ campaigns: [campaign('C0001', { live: [live] })] }));
    const v1 = applyDialerEvents(v0, [{ type: 'service', state: 'stopped', registered: false }]);
    expect(v1.service.state).toBe('stopped');
    expect(v1.service.registered).toBe(false);
    expect(v1.live).toEqual([]);
    const v2 = applyDialerEvents(v1, [{ type: 'service', state: 'running', registered: true }]);
    expect(v2.service).toMatchObject({ state: 'running', registered: true });
  });

  it('says why a running dialer is not registered: the registrar’s refusal, until it registers again', () => {
    const refused = { ok: false, status: 401, reason: 'Unauthorized' };
    const v0 = viewOfSnapshot(snapshot({ registered: false, registration: refused }));
    expect(v0.service.why).toBe('401 Unauthorized');
    const v1 = applyDialerEvents(v0, [{ type: 'service', state: 'running', registered: true }]);
    expect(v1.service.why).toBeUndefined();
    const v2 = applyDialerEvents(v1, [
      { type: 'service', state: 'running', registered: false, message: '403 Forbidden (Account INACTIVE)' },
    ]);
    expect(v2.service.why).toBe('403 Forbidden (Account INACTIVE)');
    expect(
      viewOfSnapshot(snapshot({ registration: { ...refused, ok: true, status: 200 } })).service.why,
    ).toBeUndefined();
  });

  it('a reloaded snapshot refreshes the live calls, running figures, totals and prompts, never bringing back a finished one', () => {
    const v0 = viewOfSnapshot(snapshot({ campaigns: [campaign('C0001', { live: [live] })] }));
    const v1 = applyDialerEvents(v0, [{ type: 'call', campaignId: 'C0001', result: result('1002') }]);
    const later = { ...live, number: '1003', callId: 'call-1003', rtpSent: 50 };
    const v2 = refreshLive(
      v1,
      snapshot({
        rtpPortsInUse: 4,
        mediaFiles: ['media/default.wav', 'media/ivr.wav'],
        campaigns: [campaign('C0001', { live: [live, later], figures: { ...figures(9), rtpSent: 450 } })],
        totals: { placed: 9, answered: 0, failed: 0, cancelled: 0 },
      }),
    );
    expect(v2.live.map((l) => l.number)).toEqual(['1003']);
    expect(v2.live[0]!.rtpSent).toBe(50);
    // A running campaign's figures grow with every packet: the reload brings them (RTP of live calls).
    expect(v2.campaigns[0]!.figures).toMatchObject({ placed: 9, rtpSent: 450 });
    expect(v2.campaigns[0]!.recent).toEqual(v1.campaigns[0]!.recent);
    expect(v2.service.totals.placed).toBe(9);
    // A stale reload does not undo a campaign's end.
    const v3 = applyDialerEvents(v2, [
      { type: 'progress', campaign: campaign('C0001', { state: 'finished', figures: figures(10) }) },
    ]);
    const v4 = refreshLive(v3, snapshot({ campaigns: [campaign('C0001', { figures: figures(9) })] }));
    expect(v4.campaigns[0]).toMatchObject({ state: 'finished', figures: { placed: 10 } });
    expect(v2.service.rtpPortsInUse).toBe(4);
    expect(v2.service.mediaFiles).toEqual(['media/default.wav', 'media/ivr.wav']);
    expect(v2.finished).toHaveLength(1);
  });

  it("counts a campaign's elapsed and a live call's talk time on their own clocks, whatever the server's wall clock says", () => {
    // Read by the server at 61 s into the campaign, 40 s into the call; seen at the browser's steady 5,000.
    const call = { ...live, startedAt: 20_000, answeredAt: 21_000, clockAt: 61_000 };
    const v0 = viewOfSnapshot(
      snapshot({ campaigns: [campaign('C0001', { startedAt: 0, clockAt: 61_000, live: [call] })] }),
      5_000,
    );
    const serverWall = 61_000 - 3_600_000; // its clock stepped back an hour
    expect(ownClockNow(v0.campaigns[0]!, 7_000, serverWall)).toBe(63_000);
    expect(ownClockNow(v0.live[0]!, 7_000, serverWall) - call.answeredAt).toBe(42_000);
    // A progress event and a reload bring new readings.
    const v1 = applyDialerEvents(
      v0,
      [{ type: 'progress', campaign: campaign('C0001', { startedAt: 0, clockAt: 70_000 }) }],
      9_000,
    );
    expect(ownClockNow(v1.campaigns[0]!, 10_000, serverWall)).toBe(71_000);
    const v2 = refreshLive(
      v1,
      snapshot({
        campaigns: [
          campaign('C0001', { startedAt: 0, clockAt: 80_000, live: [{ ...call, clockAt: 80_000 }] }),
        ],
      }),
      20_000,
    );
    expect(ownClockNow(v2.campaigns[0]!, 20_500, serverWall)).toBe(80_500);
    expect(ownClockNow(v2.live[0]!, 20_500, serverWall)).toBe(80_500);
    // From an older server, without a reading: the server's wall clock.
    expect(ownClockNow(campaign('C0002'), 20_500, 12_345)).toBe(12_345);
  });

  it(`keeps the newest ${KEPT_RESULTS} finished calls`, () => {
    const events = Array.from({ length: KEPT_RESULTS + 20 }, (_, i) => ({
      type: 'call' as const,
      campaignId: 'C0001',
      result: result(String(10000 + i), { endedAt: 10000 + i }),
    }));
    const v = applyDialerEvents(viewOfSnapshot(snapshot()), events);
    expect(v.finished).toHaveLength(KEPT_RESULTS);
    expect(v.finished[0]!.number).toBe(String(10000 + KEPT_RESULTS + 19));
  });

  it('the store applies events only once a snapshot is loaded', () => {
    const st = useDialer.getState();
    st.apply([{ type: 'service', state: 'running', registered: true }]);
    expect(useDialer.getState().view).toBeNull();
    st.reset(snapshot({ state: 'stopped', registered: false }));
    st.apply([{ type: 'service', state: 'running', registered: true }]);
    expect(useDialer.getState().view?.service.state).toBe('running');
  });
});

describe('the forms as MML commands', () => {
  const form = emptyCallForm();

  it('a single call: CALLEE and the options given, nothing else', () => {
    expect(callCommand({ ...form, callee: ' 1002 ', duration: '2' })).toEqual({
      command: 'STR CALL SINGLE:CALLEE=1002,DURATION=2',
    });
    expect(
      callCommand({
        ...form,
        callee: '1002',
        mediaFile: 'media/default.wav',
        duration: '2.5',
        dtmf: '12#',
        record: true,
        concurrency: '9', // a batch field: not a parameter of STR CALL SINGLE
      }),
    ).toEqual({
      command: 'STR CALL SINGLE:CALLEE=1002,MEDIA_FILE=media/default.wav,DURATION=2.5,DTMF=12#,RECORD=YES',
    });
  });

  it('a single call to a number written with spaces: sent as typed, the server dials it without them', () => {
    // RFC 3966 §5.1.1: "+49 30 1234" dials +49301234, in the console as in MML (one rule:
    // core/dialer/written-number.ts).
    expect(callCommand({ ...form, callee: '+49 30 1234' })).toEqual({
      command: 'STR CALL SINGLE:CALLEE="+49 30 1234"',
    });
    expect(callCommand({ ...form, callee: ' (030) 1234-5678 ' })).toEqual({
      command: 'STR CALL SINGLE:CALLEE="(030) 1234-5678"',
    });
  });

  it('a batch: NUMBERS quoted (it has commas), CONCURRENCY and RATE', () => {
    expect(
      callCommand({ ...form, mode: 'batch', numbers: '1001, 1003-1005,', concurrency: '10', rate: '5' }),
    ).toEqual({ command: 'STR CALL BATCH:NUMBERS="1001,1003-1005",CONCURRENCY=10,RATE=5' });
    expect(callCommand({ ...form, mode: 'batch', numbers: '2000-2999' })).toEqual({
      command: 'STR CALL BATCH:NUMBERS=2000-2999',
    });
    // Typed with a Chinese input method: its separators are commas.
    expect(callCommand({ ...form, mode: 'batch', numbers: '1009，1008、1001；' })).toEqual({
      command: 'STR CALL BATCH:NUMBERS="1009,1008,1001"',
    });
  });

  it('a batch keeps the spaces inside a written number or a range, and names an item it refuses', () => {
    // RFC 3966 §5.1.1, per item as the Single-call field (core/dialer/written-number.ts): all whitespace
    // was removed, so "alice bob" went as alicebob and "+49 30 1234, 1002" lost nothing visible.
    expect(
      callCommand({ ...form, mode: 'batch', numbers: ' +49 30 1234 , (030) 1234-5678,1003 - 1005 ,' }),
    ).toEqual({ command: 'STR CALL BATCH:NUMBERS="+49 30 1234,(030) 1234-5678,1003 - 1005"' });
    expect(callCommand({ ...form, mode: 'batch', numbers: '1001, alice bob ,1002' })).toEqual({
      fault: 'numbers',
      item: 'alice bob',
    });
    expect(callCommand({ ...form, mode: 'batch', numbers: '1001,12 ab' })).toEqual({
      fault: 'numbers',
      item: '12 ab',
    });
  });

  it('names the field at fault', () => {
    expect(callCommand({ ...form, callee: '' })).toEqual({ fault: 'callee' });
    // Spaces only as a number's visual separators (RFC 3966 §5.1.1), as STR CALL SINGLE takes them.
    expect(callCommand({ ...form, callee: 'alice bob' })).toEqual({ fault: 'callee' });
    expect(callCommand({ ...form, callee: '1001,1002' })).toEqual({ fault: 'callee' });
    expect(callCommand({ ...form, mode: 'batch', numbers: ' , ' })).toEqual({ fault: 'numbers' });
    expect(callCommand({ ...form, mode: 'batch', numbers: '1,,2' })).toEqual({ fault: 'numbers' });
    expect(callCommand({ ...form, callee: '1', duration: '-1' })).toEqual({ fault: 'duration' });
    expect(callCommand({ ...form, callee: '1', duration: '2s' })).toEqual({ fault: 'duration' });
    expect(callCommand({ ...form, callee: '1', duration: '86401' })).toEqual({ fault: 'duration' });
    expect(callCommand({ ...form, callee: '1', dtmf: '12x' })).toEqual({ fault: 'dtmf' });
    expect(callCommand({ ...form, mode: 'batch', numbers: '1', concurrency: '0' })).toEqual({
      fault: 'concurrency',
    });
    expect(callCommand({ ...form, mode: 'batch', numbers: '1', rate: '1001' })).toEqual({ fault: 'rate' });
  });
});

describe('the call form across a reload of the page', () => {
  it('comes back as it was typed in this tab (sessionStorage), not as an empty Single call', () => {
    const kept = new Map<string, string>();
    const storage = {
      getItem: (k: string) => kept.get(k) ?? null,
      setItem: (k: string, v: string) => kept.set(k, v),
    };
    Object.defineProperty(globalThis, 'sessionStorage', { value: storage, configurable: true });
    try {
      useDialer.getState().setForm({ mode: 'batch', numbers: '2002,2003,2020-2022', duration: '8' });
      useDialer.getState().setForm({ concurrency: '2', rate: '1' });
      // What the store starts with after the reload.
      expect(keptCallForm()).toEqual({
        ...emptyCallForm(),
        mode: 'batch',
        numbers: '2002,2003,2020-2022',
        duration: '8',
        concurrency: '2',
        rate: '1',
      });
      // Nothing kept, or what is no form: the empty form; a field of the wrong type is left out.
      kept.set(CALL_FORM_KEY, 'not json');
      expect(keptCallForm()).toEqual(emptyCallForm());
      expect(keptCallForm({ mode: 'loop', numbers: 5, callee: '2002' })).toEqual({
        ...emptyCallForm(),
        callee: '2002',
      });
    } finally {
      Reflect.deleteProperty(globalThis, 'sessionStorage');
      useDialer.setState({ form: emptyCallForm() });
    }
  });
});

describe('uploaded prompt names', () => {
  it('keeps a plain name, replaces odd characters, always ends in .wav', () => {
    expect(promptName('ivr.wav')).toBe('ivr.wav');
    expect(promptName('My Prompt (2).WAV')).toBe('My_Prompt__2_.wav');
    expect(promptName('C:\\fakepath\\提示.wav')).toBe('提示.wav');
    expect(promptName('up u\u0308 名字.wav')).toBe('up_ü_名字.wav');
    expect(promptName('--.wav')).toBe('prompt.wav');
    expect(promptName('.hidden.wav')).toBe('hidden.wav');
    expect(promptName('x'.repeat(80) + '.wav')).toBe('x'.repeat(56) + '.wav');
  });
});

describe('the ASR shown', () => {
  it('is rounded once, from the counts: 6 of 13 is 46.2 %, not 46.15 shown as 46.1 %', () => {
    expect(asrText({ asr: 46.15, answered: 6, failed: 7 })).toBe('46.2 %');
    expect(asrText({ asr: 100, answered: 3, failed: 0 })).toBe('100.0 %');
    expect(asrText({ asr: null, answered: 0, failed: 0 })).toBe('—');
  });
});
