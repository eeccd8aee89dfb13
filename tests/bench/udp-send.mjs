// What one UDP send costs the process (sender and receiver both on this process, CPU time from
// process.cpuUsage over 15 rounds of 20,000 sends of 500 bytes to a loopback socket), with dgram's
// default lookup (dns.lookup: an address literal answered on the next tick) and with the SIP listener's
// (core/sip/transport/literal-lookup.ts: answered inside the call). Bounded: fixed counts.
//
//   node tests/bench/udp-send.mjs
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';

const literal = (address, family, callback) => callback(null, address, isIP(address));
const N = 20_000;
const ROUNDS = 20;
const WARM = 5;

async function measure(lookup) {
  const rx = createSocket('udp4');
  await new Promise((resolve) => rx.bind(0, '127.0.0.1', resolve));
  rx.on('message', () => undefined);
  const tx = createSocket(lookup === undefined ? 'udp4' : { type: 'udp4', lookup });
  await new Promise((resolve) => tx.bind(0, '127.0.0.1', resolve));
  const port = rx.address().port;
  const data = Buffer.alloc(500, 65);
  let us = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const before = process.cpuUsage();
    for (let i = 0; i < N; i++) tx.send(data, port, '127.0.0.1');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const used = process.cpuUsage(before);
    if (r >= WARM) us += used.user + used.system;
  }
  rx.close();
  tx.close();
  return us / ((ROUNDS - WARM) * N);
}

for (let i = 0; i < 2; i++) {
  console.log(`dns.lookup (dgram's default)  ${(await measure(undefined)).toFixed(2)} µs a send`);
  console.log(`literal lookup (IMS Lab)      ${(await measure(literal)).toFixed(2)} µs a send`);
}
