// A telephone number as people write it, and the number a phone dials from it (RFC 3966 §5.1.1: visual
// separators carry no meaning). One rule for the server's number lists (numbers.ts: CALLEE, NUMBERS,
// FILE) and the console's Single-call field (renderer/src/views/dialer/store.ts), which checks it before
// STR CALL SINGLE is sent. No Node imports: the renderer bundles it.

/**
 * A telephone number as people write it: digits, a leading + (RFC 3966 §5.1.4 global-number-digits),
 * and visual separators (RFC 3966 §5.1.1 visual-separator: - . ( ), and the spaces of ITU-T E.123).
 */
export const WRITTEN_NUMBER = /^\+?[\d\s.()-]*\d[\d\s.()-]*$/;
/** The visual separators a phone drops before dialling (RFC 3966 §5.1.1, E.123's spaces). */
const VISUAL_SEPARATORS = /[\s.()-]/g;

/** "+49 30 1234" → "+49301234"; undefined when `item` is not a number written with separators (alice). */
export function dialledNumber(item: string): string | undefined {
  return WRITTEN_NUMBER.test(item) ? item.replace(VISUAL_SEPARATORS, '') : undefined;
}
