// A dialer campaign's id, one rule for every place that gives or takes one: C and its number, four digits
// at least (C0001 … C9999, C10000 …). The dialer gives them (core/dialer/dialer.ts, numbered on across
// restarts: campaign-numbers.ts), a dialer call's CDR row names one (extra_info `dialer campaign=C0001`),
// and DSP CDR, EXP CDR, DSP DIALSVC and STP CALL take one as CAMPAIGN=. Up to 15 digits: every number
// the dialer counts to stays exact (below Number.MAX_SAFE_INTEGER), so no id it gives is refused.

/** The most digits of a campaign's number. */
const MOST_DIGITS = 15;

/** The longest campaign id: C and its digits (MML's CAMPAIGN= takes up to this many characters). */
export const CAMPAIGN_ID_MAX_LENGTH = 1 + MOST_DIGITS;

/** A campaign id, as the dialer gives it. */
export const CAMPAIGN_ID = new RegExp(`^C\\d{4,${MOST_DIGITS}}$`);

/** The id of campaign number `n` (1, 2, …): C0001, C0002, … */
export function campaignId(n: number): string {
  return `C${String(n).padStart(4, '0')}`;
}
