// The original's SERVER_PORT (its run.py's name for the SIP port) set as a variable was ignored without a
// word, the server up on 5060: it is named in a WARNING with the variable IMS Lab reads (original-env-names.ts).
import { describe, expect, it } from 'vitest';
import { originalVariables } from '../../../core/config/original-env-names';
import { unknownVariables } from '../../../core/config/env-names';

describe('originalVariables', () => {
  it('names SERVER_PORT with SIP_PORT, the variable to set', () => {
    expect(originalVariables({ SERVER_PORT: '5070', SERVER_IP: '127.0.0.1' })).toEqual([
      `environment variable SERVER_PORT is the original's name for SIP.PORT, not one IMS Lab reads, ignored: set SIP_PORT; README "Running headless" lists them`,
    ]);
    // Named once: the typo check leaves it to this one.
    expect(unknownVariables({ SERVER_PORT: '5070' })).toEqual([]);
  });

  it('says nothing without it', () => {
    expect(originalVariables({ SIP_PORT: '5070', SERVER_IP: '127.0.0.1' })).toEqual([]);
  });
});
