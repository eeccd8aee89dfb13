// The original's sip_client_config.json beside the data folder: what differs from IMS Lab's DIALER.*
// settings is named at start (IMS Lab does not read the file); the same values, or no file, say nothing.
import { describe, expect, it } from 'vitest';
import { originalDialerConfigText } from '../../../core/config/original-dialer-config';
import { Settings } from '../../../core/config/settings';
import { originalFolder as folder } from './config-dirs';

const originalFolder = (text?: string): string => folder('sip_client_config.json', text);

const settings = new Settings();
const ours = (key: string): unknown => settings.get(key);

describe("the original's sip_client_config.json", () => {
  it('names the settings to set for the values that differ, the password without its value', () => {
    const data = originalFolder(
      JSON.stringify({
        server_ip: '192.168.100.8',
        server_port: 5060,
        username: '1000',
        password: 's3cret',
        local_ip: '192.168.100.8',
        local_port: 10002,
        media_dir: 'media',
        media_file: 'media/default.wav',
      }),
    );
    const [line, ...rest] = originalDialerConfigText(data, ours);
    expect(rest).toEqual([]);
    expect(line).toContain('sip_client_config.json differ from IMS Lab');
    expect(line).toContain(
      'set DIALER.USERNAME=1000 (username), DIALER.PASSWORD (its password), DIALER.LOCAL_PORT=10002 (local_port)',
    );
    expect(line).not.toContain('s3cret');
    expect(line).not.toContain('MEDIA_FILE');
  });

  it('says nothing when it matches, or when there is none; names a file that is not JSON', () => {
    const same = originalFolder(JSON.stringify({ username: '0000', password: '0000', local_port: 10000 }));
    expect(originalDialerConfigText(same, ours)).toEqual([]);
    expect(originalDialerConfigText(originalFolder(), ours)).toEqual([]);
    const [broken] = originalDialerConfigText(originalFolder('{ "username": '), ours);
    expect(broken).toMatch(/sip_client_config\.json are not JSON/);
  });
});
