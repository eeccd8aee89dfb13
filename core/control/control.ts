// The control contract served over an Appliance: one ControlSession per console connection (a
// WebSocket, or the Electron window). Requests run MML, read snapshots, and follow event topics; every
// change an operator makes goes through MML (DESIGN.md, One command language).
import type { Appliance } from '../appliance';
import { renderTexts } from '../mml/text';
import { StoreError } from '../store/types';
import { serverStatus } from '../observe/metrics';
import {
  validateRequest,
  type ControlEvent,
  type ControlRequest,
  type ControlResponse,
  type SnapshotName,
  type Topic,
} from './contract';

/** Largest registrations snapshot (a dashboard pages through MML beyond that). */
const MAX_REGISTRATIONS = 5000;

/** The status (/healthz, the status snapshot): DSP SRVSTAT's, plus the SIP bind address and users. */
export function applianceStatus(a: Appliance): Record<string, unknown> {
  return {
    ...serverStatus(a),
    node: process.version,
    sip: { host: a.settings.str('SIP.HOST'), udpPort: a.transport.udpPort, tcpPort: a.transport.tcpPort },
    users: a.users.count(),
    registrations: a.location.bindingCount,
  };
}

export class ControlSession {
  private readonly subscriptions = new Map<Topic, () => void>();

  constructor(
    private readonly appliance: Appliance,
    /** Who is at this console (recorded in the MML history). */
    readonly who: string,
    /** Delivers an event to the console. */
    private readonly deliver: (event: ControlEvent) => void,
  ) {}

  /** Validates and answers one request; never throws. */
  async handle(raw: unknown): Promise<ControlResponse> {
    const checked = validateRequest(raw);
    if ('error' in checked) return { ok: false, error: checked.error };
    try {
      return { ok: true, result: await this.run(checked.value) };
    } catch (err) {
      const message = err instanceof StoreError ? err.message : `internal error: ${String(err)}`;
      if (!(err instanceof StoreError)) this.appliance.logger.for('control').error(message);
      return { ok: false, error: message };
    }
  }

  /** Ends every subscription (the console went away). */
  close(): void {
    for (const off of this.subscriptions.values()) off();
    this.subscriptions.clear();
  }

  private async run(req: ControlRequest): Promise<unknown> {
    const a = this.appliance;
    switch (req.op) {
      case 'execute': {
        const results = await a.mml.execute(req.mml, this.who);
        return { results, text: renderTexts(results) };
      }
      case 'complete':
        return a.mml.complete(req.text);
      case 'snapshot':
        return this.snapshot(req.name, 'query' in req ? (req.query as Record<string, unknown>) : undefined);
      case 'subscribe':
        for (const t of req.topics) if (!this.subscriptions.has(t)) this.subscriptions.set(t, this.follow(t));
        return [...this.subscriptions.keys()];
      case 'unsubscribe':
        for (const t of req.topics) {
          this.subscriptions.get(t)?.();
          this.subscriptions.delete(t);
        }
        return [...this.subscriptions.keys()];
    }
  }

  private snapshot(name: SnapshotName, query: Record<string, unknown> | undefined): unknown {
    const a = this.appliance;
    switch (name) {
      case 'status':
        return applianceStatus(a);
      case 'users':
        return a.users.list(query ?? {});
      case 'registrations': {
        const out = [];
        for (const [, bindings] of a.location.entries()) {
          for (const b of bindings) {
            if (out.length >= MAX_REGISTRATIONS) break;
            out.push(b);
          }
        }
        return { bindings: out, total: a.location.bindingCount };
      }
      case 'calls':
        return a.calls.list();
      case 'cdr':
        return a.cdr.page(query ?? {});
      case 'perf':
        return a.perf.history(300);
      case 'config':
        return Object.fromEntries(a.settings.entries());
      case 'dialer':
        return a.dialer.snapshot();
    }
  }

  private follow(topic: Topic): () => void {
    const a = this.appliance;
    const send = (data: unknown): void => this.deliver({ topic, data });
    switch (topic) {
      case 'log':
        return a.logger.subscribe(send);
      case 'registration':
        return a.location.on(send);
      case 'call':
        return a.onCall(send);
      case 'message':
        return a.onMessage(send);
      case 'perf':
        return a.perf.on(send);
      case 'mml':
        return a.mml.onExecuted(send);
      case 'dialer':
        return a.dialer.on(send);
    }
  }
}
