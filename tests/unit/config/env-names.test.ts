// Environment variables with IMS Lab's prefixes that it does not read are named (env-names.ts): a typo was
// ignored without a word. Other tools' variables with the same prefixes are not.
import { describe, expect, it } from 'vitest';
import { emptyVariables, knownVariables, unknownVariables } from '../../../core/config/env-names';

const named = (env: NodeJS.ProcessEnv): string[] =>
  unknownVariables(env).map((w) => /^environment variable (\S+)/.exec(w)![1]!);

describe('unknownVariables', () => {
  it('names a mistyped variable with the nearest one it reads', () => {
    expect(unknownVariables({ SIP_PROT: '5070', HTTP_PORTS: '8080', SERVER_IPV6: '::1' })).toEqual([
      'environment variable SIP_PROT is not one IMS Lab reads, ignored (did you mean SIP_PORT?); README "Running headless" lists them',
      'environment variable HTTP_PORTS is not one IMS Lab reads, ignored (did you mean HTTP_PORT?); README "Running headless" lists them',
      'environment variable SERVER_IPV6 is not one IMS Lab reads, ignored (did you mean SERVER_IP6?); README "Running headless" lists them',
    ]);
    expect(unknownVariables({ IMS_ADMIN_PASSWRD: 'x' })[0]).toContain('(did you mean IMS_ADMIN_PASSWORD?)');
    expect(unknownVariables({ IMS_WHATEVER_ELSE: 'x' })[0]).toBe(
      'environment variable IMS_WHATEVER_ELSE is not one IMS Lab reads, ignored; README "Running headless" lists them',
    );
  });

  it('says a setting without a variable is set in config.json or with SET CFG', () => {
    expect(unknownVariables({ DIALER_PASSWORD: 'x' })).toEqual([
      'environment variable DIALER_PASSWORD is not one IMS Lab reads, ignored (DIALER.PASSWORD has no environment variable: set it in config.json or with SET CFG); README "Running headless" lists them',
    ]);
  });

  it("leaves alone the variables it reads, other prefixes, and other tools' variables", () => {
    const env: NodeJS.ProcessEnv = Object.fromEntries(knownVariables().map((n) => [n, '1']));
    Object.assign(env, {
      PATH: '/usr/bin',
      LOG_LEVEL: 'INFO',
      LOCAL_NETWORK_CIDR: '10.0.0.0/8',
      HTTP_PROXY: 'http://proxy:3128',
      http_proxy: 'http://proxy:3128',
      HTTPS_PROXY: 'http://proxy:3128',
      // Kubernetes, for services called sip, ims and http; Docker's legacy links.
      SIP_SERVICE_HOST: '10.0.0.1',
      SIP_SERVICE_PORT: '5060',
      SIP_SERVICE_PORT_SIP_UDP: '5060',
      IMS_LAB_PORT: 'tcp://10.0.0.2:8888',
      IMS_PORT_8888_TCP: 'tcp://10.0.0.2:8888',
      IMS_PORT_8888_TCP_ADDR: '10.0.0.2',
      HTTP_PORT_80_TCP_PROTO: 'tcp',
      SIP_NAME: '/web/sip',
      SIP_ENV_FOO: 'x',
    });
    expect(named(env)).toEqual([]);
    expect(named({ SIP_NAME: 'x', IMS_LAB_PORT: '8888' })).toEqual(['SIP_NAME', 'IMS_LAB_PORT']);
  });
});

describe('LOG_ and LOCAL_ names, and names in another case', () => {
  it('names LOG_LEVEL, LOCAL_NETWORK_CIDR and upper-case names mistyped or written in lower case', () => {
    expect(
      named({ LOG_LEVL: 'DEBUG', LOCAL_NETWORK_CIDRS: '10.0.0.0/8', sip_port: '5070', Log_Level: 'x' }),
    ).toEqual(['LOG_LEVL', 'LOCAL_NETWORK_CIDRS', 'sip_port', 'Log_Level']);
    expect(unknownVariables({ LOG_LEVL: 'DEBUG' })[0]).toContain('(did you mean LOG_LEVEL?)');
    expect(unknownVariables({ sip_port: '5070' })[0]).toBe(
      'environment variable sip_port is not one IMS Lab reads, ignored (did you mean SIP_PORT? the names are upper-case); README "Running headless" lists them',
    );
    expect(named({ http_proxy: 'http://proxy:3128', LOG_LEVEL: 'INFO' })).toEqual([]);
  });
});

describe('emptyVariables', () => {
  it('says an empty variable is taken as unset, with the default that applies', () => {
    expect(emptyVariables({ SIP_PORT: '', LOG_LEVEL: '', HTTP_PORT: '8080', IMS_DATA_DIR: '' })).toEqual([
      "environment variable SIP_PORT is empty: taken as unset, so SIP.PORT is config.json's or the default (5060)",
      "environment variable LOG_LEVEL is empty: taken as unset, so LOG.LEVEL is config.json's or the default (INFO)",
    ]);
  });
});
