// A TLS certificate that runs out while IMS Lab runs (core/sip/transport/certificate-expiry.ts): the
// start's WARNING was the only one, so a lab CA's certificate that expired weeks later was never named,
// and phones that check it refused TLS with nothing in the log. Checked daily on a fake clock: said
// once, the day it has expired; not again; not at all when the start had said it already.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CERTIFICATE_CHECK_MS,
  watchCertificateExpiry,
} from '../../../../core/sip/transport/certificate-expiry';

const DAY = 24 * 60 * 60 * 1000;
const START = Date.UTC(2026, 11, 7, 12, 0, 0);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(START);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('watchCertificateExpiry', () => {
  it('warns once, at the first daily check after the certificate expired', () => {
    expect(CERTIFICATE_CHECK_MS).toBe(DAY);
    const lines: string[] = [];
    const stop = watchCertificateExpiry({ certFile: '/lab/srv.pem', notAfter: START + 2.5 * DAY }, (l) =>
      lines.push(l),
    );
    vi.advanceTimersByTime(2 * DAY);
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(DAY); // day 3: expired half a day ago
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^\/lab\/srv\.pem: the TLS certificate expired on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(UTC[+-]\d\d:\d\d\); phones that check it refuse TLS: put a renewed one in its place and restart/,
    );
    vi.advanceTimersByTime(30 * DAY);
    expect(lines).toHaveLength(1);
    stop();
  });

  it('says nothing when it had expired at the start (the start said so), nor after stop', () => {
    const lines: string[] = [];
    watchCertificateExpiry({ certFile: 'old.pem', notAfter: START - DAY }, (l) => lines.push(l));
    const stop = watchCertificateExpiry({ certFile: 'new.pem', notAfter: START + DAY / 2 }, (l) =>
      lines.push(l),
    );
    stop();
    vi.advanceTimersByTime(10 * DAY);
    expect(lines).toEqual([]);
  });
});
