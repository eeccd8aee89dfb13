// The auto dialer as the console sees it: the service (state, account, prompts on offer), its campaigns
// with their figures, the calls in progress and the finished ones. Loaded from the 'dialer' snapshot,
// then kept current by the topic's events: 'service' changes the state, 'progress' a campaign's figures
// and so the totals (placed at the call, answered at the answer), 'call' a result. Events carry no
// live-call list nor per-packet RTP counts: the view reloads the snapshot while calls are up.
// The forms' values become the MML command a person would type (callCommand).
import { create } from 'zustand';
import { mml } from '../../api/mml-text';
import { keepInTab, tabKept } from '../../store/tab-storage';
import { besideDeviceName } from '../../../../core/control/device-names';
import { dialledNumber } from '../../../../core/dialer/written-number';
import type {
  DialerFiguresData,
  DialerCallResultData,
  DialerCampaignData,
  DialerLiveCallData,
  DialerSnapshotData,
  TopicEvents,
} from '../../../../core/control/contract';

/** Finished calls kept for the table, newest first. */
export const KEPT_RESULTS = 500;

export interface FinishedCall extends DialerCallResultData {
  campaignId: string;
}

/** This browser's performance.now() when a reading of an own clock (clockAt) came (own-clock.ts). */
interface Seen {
  seenAt?: number;
}

export interface LiveCall extends DialerLiveCallData, Seen {
  campaignId: string;
}

export type SeenCampaign = DialerCampaignData & Seen;

export interface DialerView {
  /** `why`: what the registrar or the operator said when the dialer is not registered. */
  service: Omit<DialerSnapshotData, 'campaigns'> & { why?: string };
  /** Oldest first, as the dialer lists them. */
  campaigns: SeenCampaign[];
  live: LiveCall[];
  finished: FinishedCall[];
}

const resultKey = (r: { campaignId: string; callId: string; number: string; startedAt: number }) =>
  `${r.campaignId}/${r.callId || r.number}/${r.startedAt}`;

const liveOf = (campaigns: readonly DialerCampaignData[], seenAt: number): LiveCall[] =>
  campaigns.flatMap((c) => c.live.map((l) => ({ ...l, campaignId: c.id, seenAt })));

export function viewOfSnapshot(s: DialerSnapshotData, seenAt = performance.now()): DialerView {
  const { campaigns, ...service } = s;
  const live = liveOf(campaigns, seenAt);
  const finished = campaigns
    .flatMap((c) => c.recent.map((r) => ({ ...r, campaignId: c.id })))
    .sort((a, b) => b.endedAt - a.endedAt)
    .slice(0, KEPT_RESULTS);
  const r = service.registration;
  const why = !service.registered && r !== undefined && !r.ok ? `${r.status} ${r.reason}` : undefined;
  return {
    service: { ...service, why },
    campaigns: campaigns.map((c) => ({ ...c, seenAt })),
    live,
    finished,
  };
}

export function applyDialerEvents(
  view: DialerView,
  events: readonly TopicEvents['dialer'][],
  seenAt = performance.now(),
): DialerView {
  let { service, campaigns, live, finished } = view;
  for (const e of events) {
    if (e.type === 'service') {
      const why = e.registered || e.state === 'stopped' ? undefined : e.message;
      service = { ...service, state: e.state, registered: e.registered, why };
      if (e.state === 'stopped') live = [];
    } else if (e.type === 'progress') {
      const i = campaigns.findIndex((c) => c.id === e.campaign.id);
      const before = i < 0 ? undefined : campaigns[i]!;
      // Events leave the lists out: keep what the last snapshot said.
      const next = { ...e.campaign, live: before?.live ?? [], recent: before?.recent ?? [], seenAt };
      const was = before?.figures ?? { placed: 0, answered: 0, failed: 0, cancelled: 0 };
      const now = e.campaign.figures;
      const t = service.totals;
      service = {
        ...service,
        totals: {
          placed: t.placed + now.placed - was.placed,
          answered: t.answered + now.answered - was.answered,
          failed: t.failed + now.failed - was.failed,
          cancelled: t.cancelled + now.cancelled - was.cancelled,
        },
      };
      campaigns = i < 0 ? [...campaigns, next] : campaigns.map((c, j) => (j === i ? next : c));
      if (e.campaign.state === 'finished' || e.campaign.state === 'stopped')
        live = live.filter((l) => l.campaignId !== e.campaign.id);
    } else {
      const r: FinishedCall = { ...e.result, campaignId: e.campaignId };
      const key = resultKey(r);
      if (finished.some((f) => resultKey(f) === key)) continue;
      finished = [r, ...finished].slice(0, KEPT_RESULTS);
      live = live.filter((l) => !(l.campaignId === r.campaignId && l.callId === r.callId));
    }
  }
  return { service, campaigns, live, finished };
}

/**
 * The live calls, the figures of campaigns still running (their RTP counts grow with every packet) and
 * the totals, the prompts on offer of a fresh snapshot (reloaded while calls are up, and after an
 * upload); the rest stays as the events made it. A call whose result is already in stays finished.
 */
export function refreshLive(view: DialerView, s: DialerSnapshotData, seenAt = performance.now()): DialerView {
  const done = new Set(view.finished.map((f) => `${f.campaignId}/${f.callId}`));
  const live = liveOf(s.campaigns, seenAt).filter((l) => !done.has(`${l.campaignId}/${l.callId}`));
  const byId = new Map(s.campaigns.map((c) => [c.id, c]));
  const campaigns = view.campaigns.map((c) => {
    const fresh = byId.get(c.id);
    if (fresh === undefined) return c;
    // A stale reload never takes back what a later event said (finished, stopped).
    const running = hasActivity({ campaigns: [c] }) && hasActivity({ campaigns: [fresh] });
    return running ? { ...fresh, recent: c.recent, seenAt } : { ...c, live: fresh.live };
  });
  const service = {
    ...view.service,
    rtpPortsInUse: s.rtpPortsInUse,
    mediaFiles: s.mediaFiles,
    totals: s.totals,
  };
  return { ...view, service, campaigns, live };
}

/** An uploaded file's name as the server takes it (contract.ts PROMPT_NAME): odd characters become _. */
export function promptName(fileName: string): string {
  // Letters and digits of any script (提示.wav stays so: two Chinese names are two files).
  const base = fileName
    .normalize('NFC')
    .replace(/^.*[\\/]/, '')
    .replace(/[^\p{L}\p{N}._-]/gu, '_');
  const stem = [...base.replace(/\.wav$/i, '').replace(/^[^\p{L}\p{N}]+/u, '')].slice(0, 56).join('');
  return `${stem === '' ? 'prompt' : besideDeviceName(stem)}.wav`;
}

/**
 * The ASR as the view shows it, one decimal, rounded once from the counts (answered over answered and
 * failed, statistics.ts): the figure's own value has two decimals already, and 46.15 (6 of 13, in
 * binary 46.1499...) shown with one read 46.1 % where 46.2 % is right.
 */
export function asrText(f: Pick<DialerFiguresData, 'asr' | 'answered' | 'failed'>): string {
  const seizures = f.answered + f.failed;
  if (f.asr === null || seizures === 0) return '—';
  return `${((100 * f.answered) / seizures).toFixed(1)} %`;
}

/** The campaign the progress bar shows: the newest one. */
export function currentCampaign(view: DialerView): SeenCampaign | undefined {
  return view.campaigns[view.campaigns.length - 1];
}

/** Whether a campaign may still place or end calls (its card has a Stop button). */
const active = (c: DialerCampaignData): boolean => c.state === 'running' || c.state === 'stopping';

/**
 * The campaigns the progress card can be switched to: every one still running (two at once each have
 * their figures and their Stop button), the newest, and the one picked; oldest first.
 */
export function campaignChoices(view: DialerView, picked?: string): SeenCampaign[] {
  const newest = currentCampaign(view);
  return view.campaigns.filter((c) => active(c) || c === newest || c.id === picked);
}

/** The campaign the progress card shows: the one picked while the view lists it, else the newest. */
export function shownCampaign(view: DialerView, picked?: string): SeenCampaign | undefined {
  return view.campaigns.find((c) => c.id === picked) ?? currentCampaign(view);
}

/** Whether calls may be up (the view then reloads the snapshot for the live figures). */
export function hasActivity(view: Pick<DialerView, 'campaigns'>): boolean {
  return view.campaigns.some((c) => c.state === 'running' || c.state === 'stopping');
}

// ── The forms ────────────────────────────────────────────────────────────────────────────────────────

export interface CallForm {
  mode: 'single' | 'batch';
  callee: string;
  numbers: string;
  mediaFile: string;
  /** Seconds, decimals allowed; '' = the whole prompt once. */
  duration: string;
  concurrency: string;
  rate: string;
  dtmf: string;
  record: boolean;
}

export function emptyCallForm(): CallForm {
  return {
    mode: 'single',
    callee: '',
    numbers: '',
    mediaFile: '',
    duration: '',
    concurrency: '',
    rate: '',
    dtmf: '',
    record: false,
  };
}

/** sessionStorage: the call form as last typed in this tab, kept across a reload of the page. */
export const CALL_FORM_KEY = 'ims.dialerForm';

/**
 * The call form this tab last had (its mode, numbers and settings: a reload mid-campaign brought back an
 * empty Single call form), each field checked for its type; the empty form when none was kept.
 */
export function keptCallForm(kept: unknown = tabKept(CALL_FORM_KEY)): CallForm {
  const form = emptyCallForm();
  if (typeof kept !== 'object' || kept === null) return form;
  const k = kept as Record<string, unknown>;
  if (k.mode === 'single' || k.mode === 'batch') form.mode = k.mode;
  if (typeof k.record === 'boolean') form.record = k.record;
  for (const f of ['callee', 'numbers', 'mediaFile', 'duration', 'concurrency', 'rate', 'dtmf'] as const) {
    const v = k[f];
    if (typeof v === 'string') form[f] = v;
  }
  return form;
}

/** What is wrong with a form field: the field, as the message keys of the view name it. */
export type FormFault = 'callee' | 'numbers' | 'duration' | 'concurrency' | 'rate' | 'dtmf';

function intIn(text: string, min: number, max: number): boolean {
  return /^\d+$/.test(text) && Number(text) >= min && Number(text) <= max;
}

/** An item of a batch's NUMBERS the server may take: no quote, spaces only in a written number or a range. */
function batchItem(item: string): boolean {
  if (item.includes('"')) return false;
  return !/\s/.test(item) || /^\d+\s*-\s*\d+$/.test(item) || dialledNumber(item) !== undefined;
}

/**
 * The STR CALL command of a form (MML's own ranges: DURATION 0..86400, CONCURRENCY 1..5000, RATE
 * 1..1000), or the field at fault, with the item of the NUMBERS list at fault when one is.
 */
export function callCommand(f: CallForm): { command: string } | { fault: FormFault; item?: string } {
  const duration = f.duration.trim();
  if (duration !== '' && !(/^\d+(\.\d+)?$/.test(duration) && Number(duration) <= 86_400))
    return { fault: 'duration' };
  const dtmf = f.dtmf.trim().toUpperCase();
  if (dtmf !== '' && !/^[0-9*#A-D]{1,64}$/.test(dtmf)) return { fault: 'dtmf' };
  const params: Record<string, string | undefined> = {};
  if (f.mode === 'single') {
    const callee = f.callee.trim();
    // One number: no list, and spaces only as a number's visual separators (+49 30 1234, as MML's
    // STR CALL SINGLE dials it, RFC 3966 §5.1.1); a user name with a space (alice bob) is refused.
    const spaced = /\s/.test(callee) && dialledNumber(callee) === undefined;
    if (!/^[^,"]{1,64}$/.test(callee) || spaced) return { fault: 'callee' };
    params.CALLEE = callee;
  } else {
    // A Chinese input method's list separators (，、；) are commas, as the server takes them. Each item
    // is trimmed, its inner spaces kept for the server: a number's visual separators (+49 30 1234, RFC
    // 3966 §5.1.1) or a range's (1003 - 1005); an item with other spaces (alice bob) is refused by name
    // (its spaces all removed, it was sent as alicebob).
    const items = f.numbers
      .replace(/[，、；]/g, ',')
      .replace(/[\s,]+$/, '')
      .split(',')
      .map((item) => item.trim());
    if (items.includes('')) return { fault: 'numbers' };
    const junk = items.find((item) => !batchItem(item));
    if (junk !== undefined) return { fault: 'numbers', item: junk };
    params.NUMBERS = items.join(',');
  }
  params.MEDIA_FILE = f.mediaFile.trim();
  params.DURATION = duration;
  if (f.mode === 'batch') {
    const concurrency = f.concurrency.trim();
    if (concurrency !== '' && !intIn(concurrency, 1, 5000)) return { fault: 'concurrency' };
    const rate = f.rate.trim();
    if (rate !== '' && !intIn(rate, 1, 1000)) return { fault: 'rate' };
    params.CONCURRENCY = concurrency;
    params.RATE = rate;
  }
  params.DTMF = dtmf;
  params.RECORD = f.record ? 'YES' : undefined;
  const verb = f.mode === 'single' ? 'STR CALL SINGLE' : 'STR CALL BATCH';
  return { command: mml(verb, params) };
}

// ── The store ────────────────────────────────────────────────────────────────────────────────────────

interface DialerState {
  view: DialerView | null;
  error: string | null;
  form: CallForm;
  reset(s: DialerSnapshotData): void;
  apply(events: TopicEvents['dialer'][]): void;
  refresh(s: DialerSnapshotData): void;
  fail(message: string): void;
  setForm(patch: Partial<CallForm>): void;
}

export const useDialer = create<DialerState>()((set) => ({
  view: null,
  error: null,
  form: keptCallForm(),
  reset: (s) => set({ view: viewOfSnapshot(s), error: null }),
  apply: (events) => set((st) => (st.view === null ? st : { view: applyDialerEvents(st.view, events) })),
  refresh: (s) => set((st) => (st.view === null ? st : { view: refreshLive(st.view, s) })),
  fail: (message) => set({ error: message }),
  setForm: (patch) =>
    set((st) => {
      const form = { ...st.form, ...patch };
      keepInTab(CALL_FORM_KEY, form);
      return { form };
    }),
}));
