import { describe, expect, it } from 'vitest';
import type { CallData } from '../../../../core/control/contract';
import { translate } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/i18n';
import { stateLabel } from './state-label';

const party = { header: '', uri: 'sip:1@x', number: '1', address: '', port: 0, userAgent: '', contact: '' };
const call = (state: CallData['state'], statusCode = 0, statusText = '', endReason = ''): CallData => ({
  id: 'c',
  callId: 'c',
  state,
  caller: party,
  callee: party,
  requestUri: '',
  media: { kinds: [], codecs: [], direction: '' },
  startedAt: 0,
  statusCode,
  statusText,
  endReason,
});
const t =
  (lang: 'en' | 'zh' = 'en') =>
  (key: MessageKey, vars?: Record<string, string | number>): string =>
    translate(lang, key, vars);

describe("the Calls view's State cell", () => {
  it('names the status a failed call ended with, its text and reason in the tooltip (it said "failed" alone)', () => {
    expect(
      stateLabel(call('failed', 488, 'Not Acceptable Here', 'Codec PCMU not allowed'), true, t()),
    ).toEqual({
      text: 'failed (488)',
      title: 'failed: 488 Not Acceptable Here (Codec PCMU not allowed)',
    });
    expect(stateLabel(call('failed', 486, 'Busy Here', 'Busy Here'), true, t())).toEqual({
      text: 'failed (486)',
      title: 'failed: 486 Busy Here',
    });
  });

  it('keeps a live call, or one ended normally, as its state; why an answered call ended in the tooltip', () => {
    expect(stateLabel(call('ringing', 180, 'Ringing'), false, t())).toEqual({
      text: 'ringing',
      title: 'ringing',
    });
    expect(stateLabel(call('ended', 200, 'OK', 'Normal'), true, t())).toEqual({
      text: 'ended',
      title: 'ended: Normal',
    });
    expect(stateLabel({ ...call('answered'), heldBy: 'callee' }, false, t()).text).toBe('on hold (callee)');
    expect(stateLabel(call('failed', 480, 'Temporarily Unavailable'), true, t('zh')).text).toBe(
      '失败（480）',
    );
  });
});
