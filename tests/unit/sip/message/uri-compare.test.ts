// SIP URI equivalence (RFC 3261 §19.1.4), as the registrar compares Contact URIs: the RFC's own examples,
// and the two rules it got wrong: a header name in a URI is compared ignoring case (`?Subject=` and
// `?subject=` name one header), and only a character outside the reserved set equals its %HH form
// (`%3B` is not `;`, `%61` is `a`).
import { describe, expect, it } from 'vitest';
import { parseUri, sipUriEquals, type SipUri } from '../../../../core/sip/message/index';

const sip = (text: string): SipUri => {
  const u = parseUri(text);
  if (u?.kind !== 'sip') throw new Error(`not a SIP URI: ${text}`);
  return u;
};
const equal = (a: string, b: string): boolean => sipUriEquals(sip(a), sip(b)) && sipUriEquals(sip(b), sip(a));

describe('§19.1.4 URI comparison', () => {
  it.each([
    ['sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5'],
    ['sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;newparam=5'],
    [
      'sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com',
      'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com',
    ],
    [
      'sip:alice@atlanta.com?subject=project%20x&priority=urgent',
      'sip:alice@atlanta.com?priority=urgent&subject=project%20x',
    ],
  ])('the RFC: %s equals %s', (a, b) => {
    expect(equal(a, b)).toBe(true);
  });

  it.each([
    ['SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp'],
    ['sip:bob@biloxi.com', 'sip:bob@biloxi.com:6000;transport=tcp'],
    ['sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting'],
    ['sip:bob@phone21.boxesbybob.com', 'sip:bob@192.0.2.4'],
    ['sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;security=off'],
  ])('the RFC: %s differs from %s', (a, b) => {
    expect(equal(a, b)).toBe(false);
  });

  it('compares header names ignoring case, their values as written', () => {
    expect(equal('sip:a@h?Subject=a', 'sip:a@h?subject=a')).toBe(true);
    expect(equal('sip:a@h?Subject=a', 'sip:a@h?Subject=A')).toBe(false);
  });

  it('takes a reserved character and its %HH form for different characters, any other for the same', () => {
    expect(equal('sip:a%3Bb@h', 'sip:a;b@h')).toBe(false);
    expect(equal('sip:a%3bb@h', 'sip:a%3Bb@h')).toBe(true);
    expect(equal('sip:a@h;p=x%2Fy', 'sip:a@h;p=x/y')).toBe(false);
    expect(equal('sip:a@h?Subject=x%3Fy', 'sip:a@h?Subject=x?y')).toBe(false);
    expect(equal('sip:%7Ebob@h', 'sip:~bob@h')).toBe(true);
    expect(equal('sip:a@h;p=%41', 'sip:a@h;p=a')).toBe(true); // parameters ignore case
    expect(equal('sip:%41@h', 'sip:a@h')).toBe(false); // userinfo does not
  });
});
