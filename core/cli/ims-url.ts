// The address the mml client talks to (IMS_URL), checked before anything is sent: a URL that cannot
// be one (no scheme, empty, another scheme than http/https) is a mistake in a variable, said at once as
// one line naming IMS_URL, exit code 2 (nothing could be run). fetch() refused it only when the first
// request went out, and with IMS_TOKEN that request is the script's: the client said "line 1 sent but not
// answered: it may or may not have run" (exit 4) for a typo, and a pipeline retried or resumed a script.

/** Where the client goes without IMS_URL: the console's default HTTP_HOST and HTTP_PORT, on this host. */
export const DEFAULT_URL = 'http://127.0.0.1:8888';

/** IMS_URL without its final slashes, or what is wrong with it. */
export function imsUrl(given: string | undefined): { base: string } | { problem: string } {
  if (given === undefined) return { base: DEFAULT_URL };
  const value = given.trim();
  // Empty: most often an unset variable in a CI step (IMS_URL=$LAB_URL); another server on this host's
  // default port must not get the script.
  if (value === '')
    return { problem: `IMS_URL is empty: set it to the console's address (unset, it is ${DEFAULT_URL})` };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    const hint = value.includes('://') ? '' : ` (http://${value}?)`;
    return { problem: `IMS_URL "${value}" is not a URL: write it as http://host:port${hint}` };
  }
  // "localhost:8888" parses, its scheme being "localhost:".
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    const hint = value.includes('://') ? '' : ` (http://${value}?)`;
    return { problem: `IMS_URL "${value}" must start with http:// or https://${hint}` };
  }
  return { base: value.replace(/\/+$/, '') };
}

/**
 * A TLS handshake that failed (an https:// IMS_URL given the console's plain HTTP port, a certificate
 * not trusted): the request itself was never sent.
 */
export function tlsFailed(code: string | undefined): boolean {
  return (
    code !== undefined &&
    (code.startsWith('ERR_SSL_') ||
      code.startsWith('ERR_TLS_') ||
      code === 'EPROTO' ||
      code.includes('CERT') ||
      code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE')
  );
}
