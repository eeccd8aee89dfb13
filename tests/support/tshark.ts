// Capturing RTP on the loopback with tshark (Wireshark's CLI; root or the wireshark group), decoded as
// RTP on a given UDP port: one row per packet with its capture time, payload type, sequence number,
// timestamp and marker. The capture runs until stop() (SIGINT by PID, SIGKILL if it lingers).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const TSHARK = '/usr/bin/tshark';
export const HAS_TSHARK = existsSync(TSHARK);

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

/** Starts capturing UDP packets to `port` on lo; resolves once tshark says it is capturing. */
export async function captureRtp(port: number, timeoutMs = 120_000): Promise<RtpCapture> {
  const proc = spawn(
    TSHARK,
    [
      '-i',
      'lo',
      '-l',
      '-f',
      `udp dst port ${port}`,
      '-d',
      `udp.port==${port},rtp`,
      '-T',
      'fields',
      '-E',
      'separator=,',
      '-e',
      'frame.time_epoch',
      '-e',
      'rtp.p_type',
      '-e',
      'rtp.seq',
      '-e',
      'rtp.timestamp',
      '-e',
      'rtp.marker',
      '-e',
      'udp.srcport',
      '-e',
      'udp.dstport',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const killer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`tshark did not start:\n${err}`)), 15_000);
    proc.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (err.includes('Capturing on')) {
        clearTimeout(t);
        // The kernel filter is attached just after the message.
        setTimeout(resolve, 500);
      }
    });
    proc.once('exit', () => reject(new Error(`tshark exited:\n${err}`)));
  });
  return {
    async stop() {
      // Let the last packets through the pipe, then stop by PID.
      await new Promise((r) => setTimeout(r, 500));
      proc.kill('SIGINT');
      const t = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
      clearTimeout(killer);
      return out
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => {
          const [time, pt, seq, ts, marker, src, dst] = l.split(',');
          return {
            time: Number(time),
            payloadType: Number(pt),
            seq: Number(seq),
            timestamp: Number(ts),
            marker: marker === '1' || marker === 'True',
            srcPort: Number(src),
            dstPort: Number(dst),
          };
        })
        .filter((p) => !Number.isNaN(p.payloadType));
    },
  };
}
