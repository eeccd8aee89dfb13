// ITU-T Q.850 cause values (§2.2.7.2, Table 1), the ones a SIP-ISUP gateway commonly puts in a Reason
// header (RFC 3326, RFC 6432) without a text: named so that a CDR row says "User busy (Q.850 17)", not
// "Q.850 17". A cause is 7 bits: 1 to 127; anything else is no Q.850 cause.

export const Q850_MIN = 1;
export const Q850_MAX = 127;

const NAMES: Readonly<Record<number, string>> = {
  1: 'Unallocated (unassigned) number',
  2: 'No route to specified transit network',
  3: 'No route to destination',
  6: 'Channel unacceptable',
  16: 'Normal call clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'No answer from user (user alerted)',
  20: 'Subscriber absent',
  21: 'Call rejected',
  22: 'Number changed',
  26: 'Non-selected user clearing',
  27: 'Destination out of order',
  28: 'Invalid number format (address incomplete)',
  29: 'Facility rejected',
  31: 'Normal, unspecified',
  34: 'No circuit/channel available',
  38: 'Network out of order',
  41: 'Temporary failure',
  42: 'Switching equipment congestion',
  44: 'Requested circuit/channel not available',
  47: 'Resource unavailable, unspecified',
  50: 'Requested facility not subscribed',
  55: 'Incoming calls barred within CUG',
  57: 'Bearer capability not authorized',
  58: 'Bearer capability not presently available',
  63: 'Service or option not available, unspecified',
  65: 'Bearer capability not implemented',
  69: 'Requested facility not implemented',
  79: 'Service or option not implemented, unspecified',
  81: 'Invalid call reference value',
  88: 'Incompatible destination',
  95: 'Invalid message, unspecified',
  96: 'Mandatory information element is missing',
  97: 'Message type non-existent or not implemented',
  99: 'Information element / parameter non-existent or not implemented',
  100: 'Invalid information element contents',
  102: 'Recovery on timer expiry',
  111: 'Protocol error, unspecified',
  127: 'Interworking, unspecified',
};

/** Is `cause` a Q.850 cause value (1-127)? */
export function isQ850Cause(cause: number): boolean {
  return Number.isInteger(cause) && cause >= Q850_MIN && cause <= Q850_MAX;
}

/** The standard name of a Q.850 cause, undefined for one not in the table (or no cause at all). */
export function q850Name(cause: number): string | undefined {
  return NAMES[cause];
}
