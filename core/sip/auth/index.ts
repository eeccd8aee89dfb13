// Digest authentication (RFC 7616, RFC 8760) for the registrar and the proxy, and for IMS Lab's own UA.
export {
  DigestAuthenticator,
  DEFAULT_AUTH,
  type AuthConfig,
  type AuthOutcome,
  type CredentialLookup,
} from './authenticator';
export { answerChallenge, digestResponse, digestResponse2069, type ClientCredentials } from './digest';
export { ha1, ha1Values, digestHash, DIGEST_ALGORITHMS, type DigestAlgorithm } from './ha1';
export { parseAuthHeader } from './auth-params';
export type { LockoutPolicy } from './lockout';
