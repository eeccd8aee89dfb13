import { describe, expect, it } from 'vitest';
import { ControlError } from '../api/client';
import { CONNECTION_LOST, NOT_CONNECTED } from '../api/transport';
import { translator as t } from '../i18n/i18n';
import { errorMessage, thrownText } from './error-text';

describe("a failed request's words", () => {
  it('the transports\' own are in the console\'s language (中文 read "错误：not connected to the appliance")', () => {
    expect(errorMessage(t('zh'), NOT_CONNECTED)).toBe('未连接到服务器');
    expect(errorMessage(t('zh'), CONNECTION_LOST)).toBe('与服务器的连接已断开');
    expect(thrownText(t('zh'), new Error(NOT_CONNECTED))).toBe('未连接到服务器');
    expect(errorMessage(t('en'), NOT_CONNECTED)).toBe(NOT_CONNECTED);
  });

  it("the server's own answer is shown as it came", () => {
    expect(errorMessage(t('zh'), 'users.csv: larger than 64 MB')).toBe('users.csv: larger than 64 MB');
    expect(thrownText(t('en'), new ControlError('x', 'outcome-unknown'))).toBe(
      t('en')('common.outcomeUnknown'),
    );
  });
});
