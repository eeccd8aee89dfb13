import { describe, expect, it } from 'vitest';
import type { SettingData } from '../../../../core/control/contract';
import { faultOf, isTlsPair, pairChangedUnder, pairValues, tlsPairCommand } from './tls-pair';

const READ = { cert: '/etc/ims/cert.pem', key: '/etc/ims/key.pem' };

describe('the TLS certificate and key, set together', () => {
  it('both in one SET CFG, as the terminal sets them; both empty for the data folder', () => {
    expect(isTlsPair('SIP.TLS_CERT') && isTlsPair('SIP.TLS_KEY') && !isTlsPair('SIP.TLS_CA')).toBe(true);
    expect(tlsPairCommand(' /etc/ims/cert.pem ', '/etc/ims/key 1.pem', READ)).toEqual({
      command:
        'SET CFG:KEY=SIP.TLS_CERT,VALUE=/etc/ims/cert.pem,TLS_KEY="/etc/ims/key 1.pem",' +
        'IF_VALUE=/etc/ims/cert.pem,IF_TLS_KEY=/etc/ims/key.pem',
    });
    expect(tlsPairCommand('', ' ', READ)).toEqual({
      command:
        'SET CFG:KEY=SIP.TLS_CERT,VALUE="",TLS_KEY="",IF_VALUE=/etc/ims/cert.pem,IF_TLS_KEY=/etc/ims/key.pem',
    });
  });

  it('names the field left empty beside the other, and the file a refusal is about', () => {
    expect(tlsPairCommand('/etc/ims/cert.pem', '', READ)).toEqual({ fault: 'key' });
    expect(tlsPairCommand('', '/etc/ims/key.pem', READ)).toEqual({ fault: 'cert' });
    expect(faultOf('Parameter TLS_KEY: SIP.TLS_KEY cannot be applied: /x holds no private key')).toBe('key');
    expect(faultOf('参数 TLS_KEY 错误: SIP.TLS_KEY 无法生效')).toBe('key');
    expect(faultOf('Parameter VALUE: SIP.TLS_CERT cannot be applied: cannot read /x: ENOENT')).toBe('cert');
  });

  it('saves only if the pair is still as read (IF_VALUE=, IF_TLS_KEY=), and says what another operator changed', () => {
    const setting = (key: string, value: string): SettingData => ({
      key,
      type: 'string',
      value,
      default: '',
      source: 'mml',
      help: '',
      allowed: '',
      restart: true,
    });
    const read = pairValues([setting('SIP.TLS_CERT', 'a.crt'), setting('SIP.TLS_KEY', 'a.key')]);
    expect(read).toEqual({ cert: 'a.crt', key: 'a.key' });
    expect(tlsPairCommand('b.crt', 'b.key', read)).toEqual({
      command: 'SET CFG:KEY=SIP.TLS_CERT,VALUE=b.crt,TLS_KEY=b.key,IF_VALUE=a.crt,IF_TLS_KEY=a.key',
    });
    // Nothing read yet (the data folder's certificate): both guards are "".
    expect(tlsPairCommand('b.crt', 'b.key', pairValues([]))).toEqual({
      command: 'SET CFG:KEY=SIP.TLS_CERT,VALUE=b.crt,TLS_KEY=b.key,IF_VALUE="",IF_TLS_KEY=""',
    });
    expect(pairChangedUnder(read, read)).toBeNull();
    expect(pairChangedUnder(read, { cert: 'a.crt', key: 'new.key' })).toBe('SIP.TLS_KEY = new.key');
    expect(pairChangedUnder(read, { cert: '', key: '' })).toBe('SIP.TLS_CERT = "", SIP.TLS_KEY = ""');
  });
});
