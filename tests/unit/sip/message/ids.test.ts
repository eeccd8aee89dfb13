// Tags, branches and Call-IDs: random enough (RFC 3261 §19.3, §8.1.1.7) and unable to spell a header
// name. SIPp reads a response's CSeq method from the first "CSeq" anywhere in it (call.cpp
// extract_cseq_method), so a To tag holding "CSeq" made it abort a registration as unexpected.
import { describe, expect, it } from 'vitest';
import { BRANCH_COOKIE } from '../../../../core/sip/message/via';
import {
  isStatelessTag,
  newBranch,
  newCallId,
  newTag,
  randomToken,
  statelessTag,
} from '../../../../core/sip/message/ids';

describe('random identifiers', () => {
  it('are lower-case hex of the length asked for, odd lengths too', () => {
    for (const length of [1, 7, 8, 16, 33]) {
      for (let i = 0; i < 200; i++) expect(randomToken(length)).toMatch(new RegExp(`^[0-9a-f]{${length}}$`));
    }
  });

  it('give tags of 64 random bits, branches of 96 after the cookie, Call-IDs of 128 at the host', () => {
    expect(newTag()).toMatch(/^[0-9a-f]{16}$/);
    expect(newBranch()).toMatch(new RegExp(`^${BRANCH_COOKIE}-[0-9a-f]{24}$`));
    expect(newCallId('ims.lab')).toMatch(/^[0-9a-f]{32}@ims\.lab$/);
  });

  it('never repeat, across refills of the random pool', () => {
    const tags = new Set<string>();
    for (let i = 0; i < 20_000; i++) tags.add(newTag()); // 160,000 bytes: about 40 refills of 4 KB
    expect(tags.size).toBe(20_000);
  });

  it('use every hex digit about evenly (no byte wasted, no bias)', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) for (const c of randomToken(16)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(16);
    for (const n of counts.values()) expect(Math.abs(n - 4000)).toBeLessThan(400); // 64,000 digits / 16
  });

  it('cannot spell CSeq (or any header name) in a tag, so SIPp finds the real CSeq header', () => {
    const response = (tag: string): string =>
      `SIP/2.0 200 OK\r\nTo: <sip:1001@ims.lab>;tag=${tag}\r\nCall-ID: a@b\r\nCSeq: 2 REGISTER\r\n\r\n`;
    // SIPp's rule, as it reads the method: from the first "CSeq", past the next ':' and the number.
    const sippMethod = (msg: string): string => {
      const value = msg.slice(msg.indexOf(':', msg.indexOf('CSeq')) + 1).trimStart();
      return value.slice(value.search(/\s/)).trimStart().split(/\r|\n/)[0]!;
    };
    expect(sippMethod(response('Wk7DLxCSeq'))).not.toBe('REGISTER'); // the tag that made SIPp abort
    for (let i = 0; i < 20_000; i++) {
      const tag = i % 2 === 0 ? newTag() : statelessTag();
      expect(sippMethod(response(tag))).toBe('REGISTER');
    }
  });

  it('mark the tags of stateless answers, and no other', () => {
    expect(isStatelessTag(statelessTag())).toBe(true);
    expect(statelessTag()).toMatch(/^[0-9a-f]{24}$/);
    let marked = 0;
    for (let i = 0; i < 10_000; i++) if (isStatelessTag(newTag())) marked++;
    expect(marked).toBe(0);
  });
});
