// The question the desktop asks before a quit would end calls up or a dialer campaign (main/quit-guard.ts);
// the window's side of it is in desktop-app.test.ts.
import { describe, expect, it } from 'vitest';
import { quitQuestion } from '../../../main/quit-guard';

describe('quitQuestion', () => {
  it('is no question when nothing would be ended', () => {
    expect(quitQuestion({ calls: 0, campaigns: 0 }, 'en')).toBeUndefined();
    expect(quitQuestion({ calls: 0, campaigns: 0 }, 'zh')).toBeUndefined();
  });

  it('counts the calls up and the campaigns running, in English or Chinese', () => {
    expect(quitQuestion({ calls: 1, campaigns: 0 }, 'en')?.message).toBe(
      '1 call is up; quitting IMS Lab ends it.',
    );
    expect(quitQuestion({ calls: 3, campaigns: 2 }, 'en')).toEqual({
      message: '3 calls are up and 2 dialer campaigns are running; quitting IMS Lab ends them.',
      detail: 'Calls up are ended (BYE) and written to the CDR; campaigns stop placing calls.',
      buttons: ['Quit', 'Cancel'],
    });
    // One: "it", as in English, not 它们 ("them").
    expect(quitQuestion({ calls: 1, campaigns: 0 }, 'zh')?.message).toBe(
      '1 个通话进行中：退出 IMS Lab 将结束该通话。',
    );
    expect(quitQuestion({ calls: 0, campaigns: 1 }, 'zh')?.message).toBe(
      '1 个拨号任务正在运行：退出 IMS Lab 将结束该拨号任务。',
    );
    expect(quitQuestion({ calls: 3, campaigns: 1 }, 'zh')?.message).toBe(
      '3 个通话进行中，1 个拨号任务正在运行：退出 IMS Lab 将结束它们。',
    );
  });
});
