// A request's body, read whole up to a limit (the API's JSON, an upload for IMP USER). One over it is
// refused (413, RFC 9110 §15.5.14) once the rest has been read and dropped, so that the client reads the
// answer instead of a reset (RFC 9112 §9.6: closing while the client still sends makes its TCP stack
// drop the response); one that is more than LINGER_BYTES over is refused at once.
import type { IncomingMessage } from 'node:http';

/** What a refused body may still bring before the 413 goes out, read and dropped. */
export const LINGER_BYTES = 16 * 1024 * 1024;

/** A body over its limit: answered 413, the connection then closed. */
export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`body larger than ${limit} bytes`);
  }
}

/**
 * A body sent with a content coding (gzip, deflate, br): none is taken, RFC 9110 §15.5.16 answers 415 and
 * §12.5.3 has the answer say `Accept-Encoding: identity`. Read as it was, a gzip'd JSON body was "not
 * UTF-8 text" and a gzip'd users file was kept as a file IMP USER could not read.
 */
export class UnsupportedEncoding extends Error {
  constructor(readonly coding: string) {
    super(`Content-Encoding ${coding} is not taken: send the body as it is (identity)`);
  }
}

/** The content codings a request names, lower case, `identity` left out (RFC 9110 §8.4). */
function codings(req: IncomingMessage): string {
  const header = req.headers['content-encoding'];
  if (header === undefined) return '';
  return header
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
    .join(', ');
}

/**
 * The body, or BodyTooLarge when it is over `limit` bytes (nothing of it kept), or UnsupportedEncoding
 * once read and dropped; rejects on a request error.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit + LINGER_BYTES) {
      reject(new BodyTooLarge(limit));
      return;
    }
    const coding = codings(req);
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = declared > limit || coding !== ''; // said up front: not one byte of it is kept
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (!refused && size > limit) {
        refused = true;
        chunks.length = 0;
      }
      if (!refused) chunks.push(c);
      else if (size > limit + LINGER_BYTES) reject(new BodyTooLarge(limit));
    });
    req.on('end', () => {
      if (size > limit || declared > limit) reject(new BodyTooLarge(limit));
      else if (coding !== '') reject(new UnsupportedEncoding(coding));
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}
