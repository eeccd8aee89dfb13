// The SIP extensions the registrar implements, by their option tags (RFC 3261 §19.2), and whether a
// request lists one in Supported (compared without regard to case, as a UA may write `Path`):
//   path      RFC 3327, path.ts
//   gruu      RFC 5627, gruu.ts
//   outbound  RFC 5626, outbound.ts
// An OPTIONS to us lists them in Supported (§11.2); a REGISTER that Requires another is refused 420.
import type { SipRequest } from '../message/index';

export const PATH_TAG = 'path';
export const GRUU_TAG = 'gruu';
export const OUTBOUND_TAG = 'outbound';

export const REGISTRAR_EXTENSIONS: readonly string[] = [PATH_TAG, GRUU_TAG, OUTBOUND_TAG];

/** Does the request list `tag` in Supported? */
export function supports(req: SipRequest, tag: string): boolean {
  return req.tokens('supported').some((t) => t.toLowerCase() === tag);
}
