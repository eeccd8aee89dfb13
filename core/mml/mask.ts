// What MML shows in place of a secret: a password given as a parameter (masked in the echo, the history
// and the log) or the value of a secret setting (DSP CFG, SET CFG). Plain text, so that the console's
// terminal masks its echo line with the same.
export const MASK = '*****';

/** Why a secret parameter may not be the mask itself (a statement recalled from the history). */
export const MASK_GIVEN = `${MASK} is how the history hides a secret; type the value itself`;
