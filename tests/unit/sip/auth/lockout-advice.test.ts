// A lock-out that refused something an operator started (STR DIALSVC's REGISTER) says what lifts it:
// RMV LOCKOUT SOURCE=<addr>, and the setting that decides how many failures lock an address; in 中文 too.
// Any other refusal is said as it came.
import { describe, expect, it } from 'vitest';
import { LOCKED_OUT } from '../../../../core/sip/auth/auth-reply';
import { refusalWithAdvice } from '../../../../core/sip/auth/lockout-advice';
import { zhText } from '../../../../core/mml/zh';

describe('a refusal with what lifts it', () => {
  it('names RMV LOCKOUT SOURCE= and AUTH.LOCKOUT_SOURCE_FAILURES for the lock-out 403 only', () => {
    const said = `registering 0000 failed: ${refusalWithAdvice(403, LOCKED_OUT, '127.0.0.1')}`;
    expect(said).toBe(
      'registering 0000 failed: 403 Forbidden (too many failed attempts): 127.0.0.1 is locked out after ' +
        'failed authentications; RMV LOCKOUT SOURCE=127.0.0.1 lifts it (AUTH.LOCKOUT_SOURCE_FAILURES: how ' +
        'many failures from one address lock it, 0 never)',
    );
    expect(zhText(said)).toBe(
      '注册 0000 失败: 403 Forbidden (too many failed attempts): 地址 127.0.0.1 因鉴权失败次数过多被锁定；' +
        'RMV LOCKOUT SOURCE=127.0.0.1 可解除（AUTH.LOCKOUT_SOURCE_FAILURES: 一个地址失败多少次后被锁定，0 表示从不）',
    );
    expect(refusalWithAdvice(403, 'Forbidden (Account SUSPENDED)', '127.0.0.1')).toBe(
      '403 Forbidden (Account SUSPENDED)',
    );
    expect(refusalWithAdvice(401, 'Unauthorized', '127.0.0.1')).toBe('401 Unauthorized');
  });
});
