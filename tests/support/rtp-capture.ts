// Capturing RTP on the loopback with tshark (root or the wireshark group), decoded as RTP on a given
// UDP port: one row per packet with its capture time, payload type, sequence number, timestamp and
// marker. The capture runs until stop() (tshark stopped by its PID).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureLoopback, readPcap } from './tshark';

export interface CapturedRtp {
  /** Capture time, seconds since the epoch. */
  time: number;
  payloadType: number;
  seq: number;
  timestamp: number;
  marker: boolean;
  srcPort: number;
  dstPort: number;
}

export interface RtpCapture {
  stop(): Promise<CapturedRtp[]>;
}

const FIELDS = [
  'frame.time_epoch',
  'rtp.p_type',
  'rtp.seq',
  'rtp.timestamp',
  'rtp.marker',
  'udp.srcport',
  'udp.dstport',
];

/** Starts capturing UDP packets to `port` on lo; resolves once tshark is capturing. */
export async function captureRtp(port: number): Promise<RtpCapture> {
  const dir = mkdtempSync(join(tmpdir(), 'ims-rtp-'));
  const file = join(dir, 'rtp.pcap');
  const capture = await captureLoopback(file, `udp dst port ${port}`);
  return {
    async stop() {
      await capture.stop();
      const rows = readPcap(file, FIELDS, { decodeAs: `udp.port==${port},rtp` });
      rmSync(dir, { recursive: true, force: true });
      return rows
        .filter((row) => row[1] !== undefined && row[1] !== '') // not decoded as RTP
        .map(([time, pt, seq, ts, marker, src, dst]) => ({
          time: Number(time),
          payloadType: Number(pt),
          seq: Number(seq),
          timestamp: Number(ts),
          marker: marker === '1' || marker === 'True',
          srcPort: Number(src),
          dstPort: Number(dst),
        }));
    },
  };
}
