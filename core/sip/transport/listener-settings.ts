// From the settings to the transport layer's options: which listeners run on which ports, their limits,
// and the TLS credentials (loaded, or generated, now: a wrong path stops the start naming its setting).
// SIP.TLS_PORT, SIP.WS_PORT and SIP.WSS_PORT turn a listener off with 0; left at their defaults while
// SIP.PORT is 0 (a free port: tests, several instances on one host) they take free ports too.
import { hostname, networkInterfaces } from 'node:os';
import { definition, SettingError, settingName, takesFreePort, type Settings } from '../../config/settings';
import { loadTlsCredentials, TlsCredentialError, type LoadedCredentials } from './tls-credentials';
import type { TransportOptions } from './sip-transport';
import type { PortCheck } from './port-probe';

export interface ListenerPlan {
  options: TransportOptions;
  /** Loaded when TLS or WSS is on. */
  credentials: LoadedCredentials | undefined;
  /** The ports the listeners will take, checked before the start-up rehearsal (port-probe.ts). */
  ports: PortCheck[];
}

/** A port to check before start-up (port-probe.ts), named by the settings that chose it and its address. */
export function portCheck(
  s: Settings,
  portKey: string,
  hostKey: string,
  kind: PortCheck['kind'],
  port: number = s.int(portKey),
): PortCheck {
  return {
    setting: settingName(s, portKey),
    kind,
    host: s.str(hostKey),
    hostSetting: settingName(s, hostKey),
    port,
  };
}

/** The port a listener takes; undefined when it is off. */
function listenerPort(s: Settings, key: string): number | undefined {
  if (takesFreePort(s, key)) return 0;
  const port = s.int(key);
  return port === 0 ? undefined : port;
}

/** Names a generated certificate is for: the advertised address as far as it is known now, and loopback. */
function certificateNames(s: Settings): string[] {
  const host = s.str('SIP.HOST');
  const names = [s.str('SIP.SERVER_IP')];
  if (host !== '0.0.0.0' && host !== '::' && host !== '') names.push(host);
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (!a.internal) names.push(a.address.replace(/%.*$/, ''));
  names.push('127.0.0.1', '::1', 'localhost', hostname());
  return names.filter((n) => n !== '');
}

export function listenerPlan(s: Settings, dataDir: string): ListenerPlan {
  const tlsPort = listenerPort(s, 'SIP.TLS_PORT');
  const wsPort = listenerPort(s, 'SIP.WS_PORT');
  const wssPort = listenerPort(s, 'SIP.WSS_PORT');
  let credentials: LoadedCredentials | undefined;
  if (tlsPort !== undefined || wssPort !== undefined) {
    // A file not given is named as its pair was given: SIP_TLS_CERT set alone is told SIP_TLS_KEY is
    // needed, not SIP.TLS_KEY (the name of a config.json the operator never wrote).
    const given = s.source('SIP.TLS_CERT') === 'env' || s.source('SIP.TLS_KEY') === 'env';
    const name = (key: string): string =>
      given && s.source(key) === 'default' ? (definition(key)?.env ?? key) : settingName(s, key);
    try {
      credentials = loadTlsCredentials({
        dataDir,
        cert: { path: s.str('SIP.TLS_CERT'), setting: name('SIP.TLS_CERT') },
        key: { path: s.str('SIP.TLS_KEY'), setting: name('SIP.TLS_KEY') },
        ca: { path: s.str('SIP.TLS_CA'), setting: settingName(s, 'SIP.TLS_CA') },
        names: certificateNames(s),
        advertised: s.str('SIP.SERVER_IP'),
      });
    } catch (err) {
      if (err instanceof TlsCredentialError) throw new SettingError(err.setting, err.problem);
      throw err;
    }
  }
  const seconds = (key: string): number => s.int(key) * 1000;
  const options: TransportOptions = {
    host: s.str('SIP.HOST'),
    port: s.int('SIP.PORT'),
    tcp: s.bool('SIP.TCP'),
    maxMessageSize: s.int('SIP.MAX_MESSAGE_SIZE'),
    limits: {
      TCP: {
        maxConnections: s.int('SIP.TCP_MAX_CONNECTIONS'),
        idleTimeoutMs: seconds('SIP.TCP_IDLE_TIMEOUT'),
      },
      TLS: {
        maxConnections: s.int('SIP.TLS_MAX_CONNECTIONS'),
        idleTimeoutMs: seconds('SIP.TLS_IDLE_TIMEOUT'),
      },
      WS: { maxConnections: s.int('SIP.WS_MAX_CONNECTIONS'), idleTimeoutMs: seconds('SIP.WS_IDLE_TIMEOUT') },
    },
    handshakeTimeoutMs: seconds('SIP.HANDSHAKE_TIMEOUT'),
    messageTimeoutMs: seconds('SIP.MESSAGE_TIMEOUT'),
    wsOrigins: s.list('SIP.WS_ORIGINS').map((o) => o.toLowerCase()),
  };
  if (tlsPort !== undefined) {
    const { cert, key, ca } = credentials!;
    options.tls = { port: tlsPort, credentials: { cert, key, ca } };
  }
  if (wsPort !== undefined) options.ws = { port: wsPort };
  if (wssPort !== undefined)
    options.wss = { port: wssPort, credentials: { cert: credentials!.cert, key: credentials!.key } };
  const check = (key: string, kind: PortCheck['kind'], port: number | undefined): PortCheck[] =>
    port === undefined ? [] : [portCheck(s, key, 'SIP.HOST', kind, port)];
  const ports = [
    ...check('SIP.PORT', 'UDP', options.port),
    ...check('SIP.PORT', 'TCP', options.tcp ? options.port : undefined),
    ...check('SIP.TLS_PORT', 'TCP', tlsPort),
    ...check('SIP.WS_PORT', 'TCP', wsPort),
    ...check('SIP.WSS_PORT', 'TCP', wssPort),
  ];
  return { options, credentials, ports };
}
