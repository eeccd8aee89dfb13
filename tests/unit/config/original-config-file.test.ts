// The original's config/config.json beside the data folder: IMS Lab does not read it, so the keys it holds
// that IMS Lab takes elsewhere are named at start with what to do (the advice a copy of it in the data
// folder gets); no file, or one with nothing IMS Lab takes, says nothing.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { originalConfigFileText } from '../../../core/config/original-config-file';
import { originalFolder as folder } from './config-dirs';

const originalFolder = (text?: string): string => folder('config/config.json', text);

describe("the original's config/config.json", () => {
  it('names the keys IMS Lab takes elsewhere, with what to do, and not the passwords', () => {
    const data = originalFolder(`{
    "FORCE_LOCAL_ADDR":   false,
    "USERS" : {"1001":"s3cret"},
    "LOG_LEVEL": "DEBUG",
    "CDR_MERGE_MODE": true,
    "LOCAL_NETWORKS": ["127.0.0.1", "192.168.0.0/16"],
    "SERVER_PORT": 44460,
    "REGISTRATION_EXPIRES": 3600,
    "last_updated": "2025-10-30 00:21:14"
}`);
    const [line, ...rest] = originalConfigFileText(data);
    expect(rest).toEqual([]);
    expect(line).toContain(`${join(data, '..', 'config', 'config.json')} are beside the data folder`);
    expect(line).toContain(`its settings are in ${join(data, 'config.json')}`);
    expect(line).toContain('USERS: users are kept in the database: import them with IMP USER');
    expect(line).toContain('LOG_LEVEL: write LOG.LEVEL instead');
    expect(line).toContain('LOCAL_NETWORKS: write SIP.LOCAL_NETWORK_CIDR instead');
    expect(line).toContain('SERVER_PORT: write SIP.PORT instead');
    expect(line).toContain('REGISTRATION_EXPIRES: write REG.DEFAULT_EXPIRES instead');
    expect(line).not.toContain('s3cret');
    expect(line).not.toContain('FORCE_LOCAL_ADDR'); // no counterpart: nothing to move
  });

  it('says nothing without one or with nothing IMS Lab takes; names one that is not JSON', () => {
    expect(originalConfigFileText(originalFolder())).toEqual([]);
    expect(originalConfigFileText(originalFolder('{"FORCE_LOCAL_ADDR": false}'))).toEqual([]);
    const [broken] = originalConfigFileText(originalFolder('{ "LOG_LEVEL": '));
    expect(broken).toMatch(/original's settings file is not read: .*config\.json: not valid JSON/);
  });
});
