// What the proxy can be told (settings PROXY.* and CALL.*; see core/config/settings.ts).

export interface ProxyConfig {
  /** Out-of-dialog methods from our users that must carry credentials (407, §22.3). */
  authMethods: readonly string[];
  /** Forward out-of-dialog requests for domains that are not ours (an open relay; off by default). */
  relayForeign: boolean;
  /** 'parallel' tries every contact of an AOR at once; 'sequential' goes down the q order (§16.6). */
  forking: 'parallel' | 'sequential';
  /** Timer C (§16.6 step 11): > 3 minutes by the RFC; shorter in a lab to test no-answer. */
  timerCSeconds: number;
  /** An answered call is ended by the proxy (BYE both ways) after this long; 0: never. */
  maxCallSeconds: number;
  /** Networks treated as local for NAT handling: a UA outside them is reached at its source address. */
  localNetworks: string;
  /**
   * Be the edge of a trust domain to the phones (RFC 3325; asserted-identity.ts): P-Asserted-Identity
   * only as IMS Lab asserts it. Off: P-Asserted-Identity, P-Preferred-Identity and Privacy go as sent.
   */
  assertIdentity: boolean;
}

export const DEFAULT_PROXY: ProxyConfig = {
  authMethods: ['INVITE', 'MESSAGE', 'OPTIONS', 'SUBSCRIBE', 'REFER', 'PUBLISH', 'NOTIFY'],
  relayForeign: false,
  forking: 'parallel',
  timerCSeconds: 180,
  maxCallSeconds: 4 * 3600,
  localNetworks: '192.168.0.0/16',
  assertIdentity: false,
};
