// Why a request could not be routed to its next hop (next-hop.ts), before any branch: the reason of the
// 500 its sender gets (RFC 3263 §4.3: no target is a transport error, a 503 made 500 upstream, RFC 3261
// §16.7 step 6), which names the name that does not resolve or the transport that is not supported, as
// the log does (it said "routing failed"); and the label sip_unroutable_total counts it under.
import { NoUsableAddress } from '../transport/host-addresses';
import { UnsupportedTransport } from './next-hop';

export type UnroutableWhy = 'unsupported-transport' | 'unresolved' | 'no-usable-address' | 'other';

/** Every one, for sip_unroutable_total's series at 0 before the first. */
export const UNROUTABLE_WHYS: readonly UnroutableWhy[] = [
  'unsupported-transport',
  'unresolved',
  'no-usable-address',
  'other',
];

/** What kind of routing fault an error is. */
export function faultKind(err: unknown): UnroutableWhy {
  if (err instanceof UnsupportedTransport) return 'unsupported-transport';
  if (err instanceof NoUsableAddress) return 'no-usable-address';
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'unresolved' : 'other';
}

/** The reason phrase of the 500 for a request that could not be routed. */
export function routingFault(err: unknown): string {
  switch (faultKind(err)) {
    case 'unresolved': {
      const e = err as NodeJS.ErrnoException & { hostname?: string };
      return `Server Internal Error (${e.hostname ?? 'the next hop'} does not resolve: ${e.code})`;
    }
    case 'unsupported-transport':
    case 'no-usable-address':
      return `Server Internal Error (${(err as Error).message})`;
    default:
      return 'Server Internal Error (routing failed)';
  }
}
