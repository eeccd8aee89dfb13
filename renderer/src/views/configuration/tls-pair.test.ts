import { describe, expect, it } from 'vitest';
import { faultOf, isTlsPair, tlsPairCommand } from './tls-pair';

describe('the TLS certificate and key, set together', () => {
  it('both in one SET CFG, as the terminal sets them; both empty for the data folder', () => {
    expect(isTlsPair('SIP.TLS_CERT') && isTlsPair('SIP.TLS_KEY') && !isTlsPair('SIP.TLS_CA')).toBe(true);
    expect(tlsPairCommand(' /etc/ims/cert.pem ', '/etc/ims/key 1.pem')).toEqual({
      command: 'SET CFG:KEY=SIP.TLS_CERT,VALUE=/etc/ims/cert.pem,TLS_KEY="/etc/ims/key 1.pem"',
    });
    expect(tlsPairCommand('', ' ')).toEqual({ command: 'SET CFG:KEY=SIP.TLS_CERT,VALUE="",TLS_KEY=""' });
  });

  it('names the field left empty beside the other, and the file a refusal is about', () => {
    expect(tlsPairCommand('/etc/ims/cert.pem', '')).toEqual({ fault: 'key' });
    expect(tlsPairCommand('', '/etc/ims/key.pem')).toEqual({ fault: 'cert' });
    expect(faultOf('Parameter TLS_KEY: SIP.TLS_KEY cannot be applied: /x holds no private key')).toBe('key');
    expect(faultOf('参数 TLS_KEY 错误: SIP.TLS_KEY 无法生效')).toBe('key');
    expect(faultOf('Parameter VALUE: SIP.TLS_CERT cannot be applied: cannot read /x: ENOENT')).toBe('cert');
  });
});
