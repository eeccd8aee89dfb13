// The reginfo document (RFC 3680 §5.1, §5.4): escaped text, ids that stay the same from one notification
// to the next, the registration's state (init, active, terminated) and each contact's event.
import { describe, expect, it } from 'vitest';
import type { Binding } from '../../../../core/sip/registrar/binding';
import { contactChanges, reginfoXml } from '../../../../core/sip/registrar/reginfo';

const NOW = 1_700_000_000_000;
const AOR = 'sip:1001@ims.lab';

function binding(contact: string, over: Partial<Binding> = {}): Binding {
  return {
    aor: AOR,
    contact,
    contactParams: '',
    expiresAt: NOW + 600_000,
    q: undefined,
    callId: 'a"b<c>@host',
    cseq: 7,
    sourceAddress: '127.0.0.1',
    sourcePort: 5062,
    transport: 'UDP',
    userAgent: 'test',
    createdAt: NOW - 90_000,
    updatedAt: NOW - 90_000,
    ...over,
  };
}

const ids = (xml: string): string[] => [...xml.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!);

describe('reginfo+xml', () => {
  it('escapes what it quotes, and gives each contact its times, q, Call-ID and CSeq', () => {
    const xml = reginfoXml({
      version: 3,
      aor: AOR,
      bindings: [binding('sip:1001@10.0.0.5:5062;x=a&b', { q: 0.5 })],
      changes: [],
      now: NOW,
    });
    expect(xml).toContain('<reginfo xmlns="urn:ietf:params:xml:ns:reginfo" version="3" state="full">');
    expect(xml).toContain('<uri>sip:1001@10.0.0.5:5062;x=a&amp;b</uri>');
    expect(xml).toContain('callid="a&quot;b&lt;c&gt;@host"');
    expect(xml).toMatch(
      /state="active" event="registered" duration-registered="90" expires="600" q="0.5" [^>]*cseq="7"/,
    );
  });

  it('ids stay the same across notifications; a contact refreshed earlier says so', () => {
    const first = reginfoXml({
      version: 0,
      aor: AOR,
      bindings: [binding('sip:a@1.2.3.4')],
      changes: [],
      now: NOW,
    });
    const later = binding('sip:a@1.2.3.4', { updatedAt: NOW });
    const second = reginfoXml({ version: 1, aor: AOR, bindings: [later], changes: [], now: NOW + 5000 });
    expect(ids(second)).toEqual(ids(first));
    expect(second).toContain('event="refreshed"');
  });

  it('no contacts: init; the last contact just gone: terminated, listed once with its event', () => {
    expect(reginfoXml({ version: 0, aor: AOR, bindings: [], changes: [], now: NOW })).toMatch(
      /<registration [^>]*state="init">\s*<\/registration>/,
    );
    const gone = binding('sip:a@1.2.3.4');
    const change = contactChanges({ type: 'removed', binding: gone, cause: 'operator', at: NOW })[0]!;
    expect(change).toEqual({ binding: gone, event: 'deactivated', gone: true });
    const xml = reginfoXml({ version: 1, aor: AOR, bindings: [], changes: [change], now: NOW });
    expect(xml).toMatch(/<registration [^>]*state="terminated">/);
    expect(xml).toMatch(
      /<contact [^>]*state="terminated" event="deactivated" duration-registered="90" callid/,
    );
  });

  it('RFC 5628: a contact with GRUUs lists them, in the gruuinfo namespace', () => {
    const b = binding('sip:a@1.2.3.4', { cseq: 9 });
    const xml = reginfoXml({
      version: 0,
      aor: AOR,
      bindings: [b, binding('sip:b@1.2.3.5')],
      changes: [],
      now: NOW,
      gruusOf: (x) => (x === b ? { pub: `${AOR};gr=urn:uuid:1`, temp: 'sip:tgruu.x@ims.lab;gr' } : undefined),
    });
    expect(xml).toContain('xmlns:gr="urn:ietf:params:xml:ns:gruuinfo"');
    expect(xml).toContain(
      '<uri>sip:a@1.2.3.4</uri>\n      <gr:pub-gruu uri="sip:1001@ims.lab;gr=urn:uuid:1"/>\n' +
        '      <gr:temp-gruu uri="sip:tgruu.x@ims.lab;gr" first-cseq="9"/>\n    </contact>',
    );
    expect(xml.match(/<gr:pub-gruu /g)).toHaveLength(1);
  });
});
