// The TLS files are named as the operator gave them: SIP_TLS_CERT set alone in the environment is told
// that SIP_TLS_KEY is needed (it was told SIP.TLS_KEY, the key of a config.json never written), and the
// same in config.json names config.json's keys.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../../../core/config/settings';
import { listenerPlan } from '../../../../core/sip/transport/listener-settings';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(): string {
  const d = mkdtempSync(join(tmpdir(), 'ims-tls-names-'));
  dirs.push(d);
  return d;
}

describe('the TLS files a start needs', () => {
  it('names the missing one as its pair was given: the environment variable', () => {
    const d = folder();
    const s = loadSettings(d, { SIP_TLS_CERT: join(d, 'cert.pem'), SIP_TLS_PORT: '0', SIP_PORT: '0' });
    expect(() => listenerPlan(s, d)).toThrow(/^SIP_TLS_KEY: needed with SIP_TLS_CERT$/);
  });

  it("or config.json's key", () => {
    const d = folder();
    const s = loadSettings(d, { SIP_TLS_PORT: '0', SIP_PORT: '0' });
    s.change('SIP.TLS_KEY', join(d, 'key.pem'));
    expect(() => listenerPlan(s, d)).toThrow(/^SIP\.TLS_CERT: needed with SIP\.TLS_KEY$/);
  });
});
