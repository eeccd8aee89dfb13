import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_CONFIG, configFromEnv } from '../../../core/config/env';

describe('configFromEnv', () => {
  it('uses the defaults for an empty environment', () => {
    expect(configFromEnv({})).toEqual(DEFAULT_CONFIG);
  });

  it('reads every variable', () => {
    expect(
      configFromEnv({
        SERVER_IP: '10.1.2.3',
        LOCAL_NETWORK_CIDR: '10.0.0.0/8, 172.16.0.0/12',
        SIP_HOST: '127.0.0.1',
        SIP_PORT: '0',
        HTTP_HOST: '::1',
        HTTP_PORT: '9000',
        IMS_DATA_DIR: '/tmp/ims',
        LOG_LEVEL: 'warning',
      }),
    ).toEqual({
      serverIp: '10.1.2.3',
      localNetworkCidr: '10.0.0.0/8, 172.16.0.0/12',
      sipHost: '127.0.0.1',
      sipPort: 0,
      httpHost: '::1',
      httpPort: 9000,
      dataDir: '/tmp/ims',
      logLevel: 'WARNING',
    });
  });

  it.each([
    ['SIP_PORT', 'abc', /port number/],
    ['HTTP_PORT', '65536', /port number/],
    ['LOCAL_NETWORK_CIDR', '192.168.0.0', /CIDR/],
    ['LOCAL_NETWORK_CIDR', '10.0.0.0/33', /CIDR/],
    ['LOG_LEVEL', 'CRITICAL', /DEBUG, INFO, WARNING, ERROR/],
  ])('refuses %s=%s, naming the variable', (name, value, message) => {
    let err: unknown;
    try {
      configFromEnv({ [name]: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(name);
    expect((err as ConfigError).message).toMatch(message);
  });
});
