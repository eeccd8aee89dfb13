// CPU of the digest work behind one authenticated registration or call: a nonce issued (401/407) to a
// source, the nonce checked (from that source) and the expected response computed (RFC 7616 §3.4.1,
// MD5). Bounded: 3 rounds of 200,000.
//
//   node --import tsx tests/bench/auth-cost.ts
import { digestResponse } from '../../core/sip/auth/digest';
import { NonceIssuer } from '../../core/sip/auth/nonces';

const N = 200_000;
const nonces = new NonceIssuer(300);
for (let round = 0; round < 3; round++) {
  const t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const nonce = nonces.issue('192.0.2.10');
    if (nonces.inspect(nonce, '192.0.2.10').check !== 'valid') throw new Error('a fresh nonce did not check');
    digestResponse({
      algorithm: 'MD5',
      ha1: '0123456789abcdef0123456789abcdef',
      method: 'REGISTER',
      uri: 'sip:127.0.0.1:25110',
      nonce,
      nc: '00000001',
      cnonce: 'abcdef',
    });
  }
  console.log(`issue + inspect + digest: ${(Number(process.hrtime.bigint() - t) / N / 1000).toFixed(2)} µs`);
}
