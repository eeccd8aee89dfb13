// A console of the control contract over the headless server's WebSocket, for integration tests.
import { WebSocket } from 'ws';

/** Logs in over HTTP and returns the session token. */
export async function login(base: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ password }),
  });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/**
 * A console on the WebSocket: request() answers by id; events collects {topic, seq, data}, one per
 * event, unpacked from the batches the server sends ({topic, first, data: [...]}).
 */
export class Console {
  private next = 1;
  private readonly waiting = new Map<number, (v: Record<string, unknown>) => void>();
  readonly events: { topic: string; seq: number; data: Record<string, unknown> }[] = [];
  /** Batches as received. */
  readonly batches: { topic: string; first: number; data: Record<string, unknown>[] }[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const msg = JSON.parse(String(raw)) as Record<string, unknown>;
      if (typeof msg.topic === 'string') {
        const batch = msg as unknown as Console['batches'][number];
        this.batches.push(batch);
        batch.data.forEach((data, i) => this.events.push({ topic: batch.topic, seq: batch.first + i, data }));
      } else this.waiting.get(msg.id as number)?.(msg);
    });
  }

  static open(base: string, token: string): Promise<Console> {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/ws?token=${token}`);
    return new Promise((ok, fail) => {
      ws.once('open', () => ok(new Console(ws)));
      ws.once('error', fail);
    });
  }

  request(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.next++;
    return new Promise((ok) => {
      this.waiting.set(id, ok);
      this.ws.send(JSON.stringify({ id, ...body }));
    });
  }

  async event(topic: string, timeoutMs = 3000): Promise<Record<string, unknown>> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const e = this.events.find((x) => x.topic === topic);
      if (e) return e.data;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no ${topic} event within ${timeoutMs} ms`);
  }
}
