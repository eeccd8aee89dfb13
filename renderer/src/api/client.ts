// The one client of the control contract the views use, over either transport. A read (snapshot,
// complete, subscribe) times out with a clear message; a command that changes state (execute, upload) is
// never given up on while the transport holds it (it may still run once a cut link or a hung server comes
// back: the answer is given when it comes), and one whose connection is lost before its answer rejects
// with an outcome-unknown error, not a failure (it may have run; it is never sent again). Topics are
// followed with reference counts, re-subscribed after a reconnect, and each follower is told to reload
// its snapshot then (and on a gap in the sequence numbers), so a view never shows stale data as live.
import type {
  ControlEventBatch,
  ControlResponse,
  ExecuteResult,
  Lang,
  OpResults,
  SnapshotName,
  SnapshotResults,
  Topic,
  TopicEvents,
} from '../../../core/control/contract';
import { CONNECTION_LOST, type ConnectionState, type Transport } from './transport';

export const REQUEST_TIMEOUT_MS = 15_000;

/** Ops that change the appliance's state: never timed out, and unknown (not failed) when unanswered. */
const STATE_CHANGING = new Set(['execute', 'upload']);

/** What a state-changing request lost with its connection says (the views say it in their language). */
export const OUTCOME_UNKNOWN =
  'the connection to the appliance was lost before the answer came: the command may or may not have run (check DSP HISTORY before running it again)';

export class ControlError extends Error {
  constructor(
    message: string,
    /** outcome-unknown: sent, never answered, the connection gone: it may have run. */
    readonly code?: 'outcome-unknown',
  ) {
    super(message);
  }
}

/** True for a state-changing request whose connection was lost before it was answered. */
export const outcomeUnknown = (err: unknown): boolean =>
  err instanceof ControlError && err.code === 'outcome-unknown';

export interface Follower<T extends Topic> {
  /** Events after the last one applied, in order (seq = first + i). */
  events(data: TopicEvents[T][], first: number): void;
  /** The follower must reload its snapshot: first subscription, reconnect, or a gap. */
  resync(): void;
}

interface FollowState {
  followers: Set<Follower<Topic>>;
}

export class ControlClient {
  private readonly topics = new Map<Topic, FollowState>();
  private readonly offs: (() => void)[] = [];
  lang: Lang = 'en';

  constructor(
    readonly transport: Transport,
    private readonly timeoutMs = REQUEST_TIMEOUT_MS,
  ) {
    this.offs.push(transport.onBatch((b) => this.dispatch(b)));
    this.offs.push(
      transport.onState((s) => {
        if (s === 'connected') this.resubscribe();
      }),
    );
  }

  get state(): ConnectionState {
    return this.transport.state;
  }

  /**
   * One request; rejects with a ControlError on an error answer or a lost connection, and a read also on a
   * time-out. A state-changing one (execute, upload) waits for its answer however long it takes: giving up
   * on it while the transport still holds it said "no answer" of a command that then ran.
   */
  async request<T = unknown>(req: Record<string, unknown>): Promise<T> {
    const changes = STATE_CHANGING.has(String(req.op));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, fail) => {
      if (changes) return;
      timer = setTimeout(
        () =>
          fail(
            new ControlError(
              `no answer from the appliance within ${Math.round(this.timeoutMs / 1000)} s (${String(req.op)})`,
            ),
          ),
        this.timeoutMs,
      );
    });
    let response: ControlResponse;
    try {
      response = await Promise.race([this.transport.request(req), timeout]);
    } catch (err) {
      if (err instanceof ControlError) throw err;
      const message = (err as Error).message;
      if (changes && message === CONNECTION_LOST) throw new ControlError(OUTCOME_UNKNOWN, 'outcome-unknown');
      throw new ControlError(message);
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) throw new ControlError(response.error);
    return response.result as T;
  }

  execute(mml: string): Promise<ExecuteResult> {
    return this.request<ExecuteResult>({ op: 'execute', mml, lang: this.lang });
  }

  complete(text: string): Promise<string[]> {
    return this.request<string[]>({ op: 'complete', text });
  }

  /** Uploads a WAV prompt (base64) to the data folder's media/; answers its MEDIA_FILE name. */
  uploadPrompt(name: string, data: string): Promise<OpResults['upload']> {
    return this.request<OpResults['upload']>({ op: 'upload', name, data, lang: this.lang });
  }

  snapshot<N extends SnapshotName>(name: N, query?: Record<string, unknown>): Promise<SnapshotResults[N]> {
    return this.request<SnapshotResults[N]>(
      query === undefined ? { op: 'snapshot', name } : { op: 'snapshot', name, query },
    );
  }

  /** Follows a topic; the follower's resync() is called at once (load the snapshot). */
  follow<T extends Topic>(topic: T, follower: Follower<T>): () => void {
    let st = this.topics.get(topic);
    if (st === undefined) {
      st = { followers: new Set() };
      this.topics.set(topic, st);
      if (this.transport.state === 'connected') void this.subscribe([topic]);
    }
    st.followers.add(follower as unknown as Follower<Topic>);
    if (this.transport.state === 'connected') follower.resync();
    return () => {
      const s = this.topics.get(topic);
      if (s === undefined) return;
      s.followers.delete(follower as unknown as Follower<Topic>);
      if (s.followers.size === 0) {
        this.topics.delete(topic);
        if (this.transport.state === 'connected')
          void this.request({ op: 'unsubscribe', topics: [topic] }).catch(() => undefined);
      }
    };
  }

  close(): void {
    for (const off of this.offs) off();
    this.transport.close();
  }

  private async subscribe(topics: Topic[]): Promise<void> {
    try {
      await this.request({ op: 'subscribe', topics });
    } catch {
      // the connection dropped: resubscribe() runs again when it is back
    }
  }

  private resubscribe(): void {
    const topics = [...this.topics.keys()];
    if (topics.length === 0) return;
    void this.subscribe(topics).then(() => {
      for (const t of topics) for (const f of this.topics.get(t)?.followers ?? []) f.resync();
    });
  }

  private dispatch(batch: ControlEventBatch): void {
    const st = this.topics.get(batch.topic);
    if (st === undefined) return;
    for (const f of st.followers) f.events(batch.data as never, batch.first);
  }
}
