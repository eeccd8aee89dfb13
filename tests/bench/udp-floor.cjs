// The floor of a Node.js registrar on this machine: the cheapest answer to SIPp's authenticated REGISTER
// scenario, with no parsing beyond finding five header lines and no checks at all (401 to a REGISTER
// without Authorization, 200 to one with it). What it costs per registration is what Node's UDP path costs
// (two datagrams in, two out); whatever IMS Lab costs above it is its own work.
//
//   tests/bench/register-ladder.sh floor      (never a server to use: it authenticates nobody)
const dgram = require('node:dgram');

const port = Number(process.argv[2]);
const socket = dgram.createSocket('udp4');

function header(text, name) {
  const at = text.indexOf(`\r\n${name}:`);
  return at < 0 ? '' : text.slice(at + 2, text.indexOf('\r\n', at + 2));
}

socket.on('message', (data, peer) => {
  const text = data.toString('latin1');
  const authorized = text.includes('\r\nAuthorization:');
  const lines = [
    authorized ? 'SIP/2.0 200 OK' : 'SIP/2.0 401 Unauthorized',
    `${header(text, 'Via')};received=${peer.address}`,
    header(text, 'From'),
    `${header(text, 'To')};tag=floor`,
    header(text, 'Call-ID'),
    header(text, 'CSeq'),
    authorized
      ? `${header(text, 'Contact')};expires=3600`
      : `WWW-Authenticate: Digest realm="floor", nonce="${Date.now().toString(36)}0123456789abcdef", algorithm=MD5, qop="auth"`,
    'Content-Length: 0',
  ];
  socket.send(Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), peer.port, peer.address);
});
socket.bind(port, '127.0.0.1');
