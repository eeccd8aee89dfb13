// A certificate that expires while IMS Lab runs: the start named one already out of its dates, but a
// lab CA's certificate (a year, 90 days) that ran out weeks after the start was never named again, and
// phones that check it began refusing TLS with nothing in the log. Checked once a day (a timer each day,
// not one set months ahead: setTimeout takes at most 24.8 days), said once.
import { localDateTime, type CertificateSummary } from './tls-credentials';

export const CERTIFICATE_CHECK_MS = 24 * 60 * 60 * 1000;

/**
 * Warns once when `cert` has expired, checking every CERTIFICATE_CHECK_MS; nothing when it had expired
 * at the start (the start's WARNING said so). Returns the function that stops the checks.
 */
export function watchCertificateExpiry(
  cert: Pick<CertificateSummary, 'certFile' | 'notAfter'>,
  warn: (line: string) => void,
  now: () => number = Date.now,
): () => void {
  let said = now() > cert.notAfter;
  const timer = setInterval(() => {
    if (said || now() <= cert.notAfter) return;
    said = true;
    warn(
      `${cert.certFile}: the TLS certificate expired on ${localDateTime(cert.notAfter)}; phones that check it ` +
        'refuse TLS: put a renewed one in its place and restart (it is read at start only)',
    );
  }, CERTIFICATE_CHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
