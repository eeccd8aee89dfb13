// Seed messages for mutation fuzzing of the running server (tests/integration/robustness and the long
// run in tests/bench/fuzz-long.ts): REGISTER, INVITE with SDP, MESSAGE, in-dialog BYE and ACK, CANCEL,
// SUBSCRIBE, OPTIONS, credentials for both digest paths, and a response to relay.

/** The seeds for a server on 127.0.0.1:`port`, with a registered phone of 5002 on `phonePort`. */
export function fuzzSeeds(port: number, phonePort: number): Buffer[] {
  const at = `127.0.0.1:${port}`;
  const via = (b: string): string => `Via: SIP/2.0/UDP 127.0.0.1:40000;branch=z9hG4bK-${b};rport`;
  const sdp =
    'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n';
  const msg = (lines: string[], body = ''): Buffer =>
    Buffer.from(
      `${lines.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      'latin1',
    );
  const common = (method: string, n: number, to = '<sip:5002@' + at + '>'): string[] => [
    via(`f${n}`),
    'Max-Forwards: 70',
    `From: "Fuzz" <sip:5001@${at}>;tag=ff${n}`,
    `To: ${to}`,
    `Call-ID: fuzz-${n}@127.0.0.1`,
    `CSeq: ${n} ${method}`,
  ];
  return [
    msg([
      `REGISTER sip:${at} SIP/2.0`,
      ...common('REGISTER', 1, `<sip:5001@${at}>`),
      `Contact: <sip:5001@127.0.0.1:40000>;expires=60;q=0.5`,
      'Expires: 60',
      'User-Agent: fuzz',
    ]),
    msg(
      [
        `INVITE sip:5002@${at} SIP/2.0`,
        ...common('INVITE', 2),
        'Contact: <sip:5001@127.0.0.1:40000>',
        'Content-Type: application/sdp',
        'Supported: timer',
        'User-Agent: fuzz',
      ],
      sdp,
    ),
    msg(
      [`MESSAGE sip:5002@${at} SIP/2.0`, ...common('MESSAGE', 3), 'Content-Type: text/plain'],
      'hello there',
    ),
    msg([
      `BYE sip:5002@127.0.0.1:${phonePort} SIP/2.0`,
      ...common('BYE', 4, `<sip:5002@${at}>;tag=callee4`),
      `Route: <sip:${at};lr>`,
    ]),
    msg([
      `ACK sip:5002@127.0.0.1:${phonePort} SIP/2.0`,
      ...common('ACK', 5, `<sip:5002@${at}>;tag=callee5`),
      `Route: <sip:${at};lr>`,
    ]),
    msg([`CANCEL sip:5002@${at} SIP/2.0`, ...common('CANCEL', 6)]),
    msg([
      `SUBSCRIBE sip:5002@${at} SIP/2.0`,
      ...common('SUBSCRIBE', 7),
      'Event: presence',
      'Expires: 60',
      'Contact: <sip:5001@127.0.0.1:40000>',
    ]),
    msg([`OPTIONS sip:${at} SIP/2.0`, ...common('OPTIONS', 8, `<sip:${at}>`), 'Accept: application/sdp']),
    msg([
      `REGISTER sip:${at} SIP/2.0`,
      ...common('REGISTER', 10, `<sip:5001@${at}>`),
      `Contact: <sip:5001@127.0.0.1:40000>`,
      `Authorization: Digest username="5001", realm="ims.lab", nonce="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", uri="sip:${at}", response="0123456789abcdef0123456789abcdef", algorithm=MD5, qop=auth, nc=00000001, cnonce="abc"`,
    ]),
    msg(
      [
        `INVITE sip:5002@${at} SIP/2.0`,
        ...common('INVITE', 11),
        'Contact: <sip:5001@127.0.0.1:40000>',
        `Proxy-Authorization: Digest username="5001", realm="ims.lab", nonce="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", uri="sip:5002@${at}", response="0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", algorithm=SHA-256, qop=auth, nc=00000001, cnonce="abc"`,
        'Content-Type: application/sdp',
      ],
      sdp,
    ),
    msg([
      'SIP/2.0 200 OK',
      `Via: SIP/2.0/UDP ${at};branch=z9hG4bK-ims-abc-def;rport, ${via('up9').slice(5)}`,
      `From: <sip:5001@${at}>;tag=ff9`,
      `To: <sip:5002@${at}>;tag=t9`,
      'Call-ID: fuzz-9@127.0.0.1',
      'CSeq: 9 INVITE',
      'Contact: <sip:5002@127.0.0.1:40001>',
      `Record-Route: <sip:${at};lr>`,
    ]),
  ];
}
