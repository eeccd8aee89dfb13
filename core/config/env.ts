// Configuration from the environment (the original's SERVER_IP and LOCAL_NETWORK_CIDR, plus the
// listeners and folders that the original hard-coded). Validation gives a message naming the variable.

export type LogLevel = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
export const LOG_LEVELS: readonly LogLevel[] = ['DEBUG', 'INFO', 'WARNING', 'ERROR'];

export interface ApplianceConfig {
  /** Address advertised in Via / Record-Route; auto-detected when empty. */
  serverIp: string;
  /** Networks treated as local for NAT decisions (RFC 3581 handling), e.g. 192.168.0.0/16. */
  localNetworkCidr: string;
  sipHost: string;
  sipPort: number;
  httpHost: string;
  httpPort: number;
  dataDir: string;
  logLevel: LogLevel;
}

export const DEFAULT_CONFIG: ApplianceConfig = {
  serverIp: '',
  localNetworkCidr: '192.168.0.0/16',
  sipHost: '0.0.0.0',
  sipPort: 5060,
  httpHost: '0.0.0.0',
  httpPort: 8888,
  dataDir: './data',
  logLevel: 'INFO',
};

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

function port(name: string, raw: string): number {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw new ConfigError(name, `expected a port number 0..65535, got "${raw}"`);
  }
  return Number(raw);
}

function cidr(name: string, raw: string): string {
  for (const part of raw.split(',')) {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(part.trim());
    if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) {
      throw new ConfigError(name, `expected IPv4 CIDR list like 192.168.0.0/16, got "${part.trim()}"`);
    }
  }
  return raw;
}

/** Builds the configuration from environment variables over the defaults. Throws ConfigError. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ApplianceConfig {
  const c: ApplianceConfig = { ...DEFAULT_CONFIG };
  if (env.SERVER_IP) c.serverIp = env.SERVER_IP.trim();
  if (env.LOCAL_NETWORK_CIDR) c.localNetworkCidr = cidr('LOCAL_NETWORK_CIDR', env.LOCAL_NETWORK_CIDR);
  if (env.SIP_HOST) c.sipHost = env.SIP_HOST.trim();
  if (env.SIP_PORT) c.sipPort = port('SIP_PORT', env.SIP_PORT.trim());
  if (env.HTTP_HOST) c.httpHost = env.HTTP_HOST.trim();
  if (env.HTTP_PORT) c.httpPort = port('HTTP_PORT', env.HTTP_PORT.trim());
  if (env.IMS_DATA_DIR) c.dataDir = env.IMS_DATA_DIR;
  if (env.LOG_LEVEL) {
    const level = env.LOG_LEVEL.trim().toUpperCase();
    if (!(LOG_LEVELS as readonly string[]).includes(level)) {
      throw new ConfigError('LOG_LEVEL', `expected one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
    }
    c.logLevel = level as LogLevel;
  }
  return c;
}
