// The log at INFO tells what happens, one line per event (issue 11): a registration bound, refreshed
// from a changed address (NAT rebinding), removed or expired; a call started, answered, ended (with its
// reason); a MESSAGE relayed. Plain refreshes go to DEBUG. Full SIP messages stay at DEBUG (the
// transport's trace). The lines are built from the domain events the SIP stack emits, so nothing here
// runs unless someone logs (the Logger queues and writes off the SIP path).
import type { Call, CallEvent, MessageEvent } from '../calls/call';
import { otherAuthenticatedUser } from '../sip/message/uri-user';
import type { Binding, RegistrationEvent } from '../sip/registrar/binding';
import type { Log } from '../observe/log';
import { addressPort } from '../address-port';

const sourceOf = (b: Binding): string => `${addressPort(b.sourceAddress, b.sourcePort)} (${b.transport})`;

/** Why a binding was removed, as the log says it. */
export const REMOVED: Record<NonNullable<RegistrationEvent['cause']>, string> = {
  unregister: 'unregistered by the UA',
  operator: 'removed by the operator',
  'user-deleted': 'removed: user deleted',
  'user-disabled': 'removed: account no longer ACTIVE',
  'connection-closed': 'removed: its connection closed',
};

/**
 * A refresh of the same Contact from the same address is DEBUG; the rest of a registration's life is
 * INFO (a device's new Contact in place of its old one, from the same address, too).
 */
function plainRefresh(e: RegistrationEvent): boolean {
  const b = e.binding;
  const p = e.previous;
  return (
    e.type === 'refreshed' &&
    (p === undefined ||
      (p.contact === b.contact &&
        p.sourceAddress === b.sourceAddress &&
        p.sourcePort === b.sourcePort &&
        p.transport === b.transport))
  );
}

export function registrationLine(e: RegistrationEvent): { level: 'info' | 'debug'; text: string } {
  const b = e.binding;
  const aor = b.registeredAor !== undefined ? `${b.aor} (as ${b.registeredAor})` : b.aor;
  const seconds = Math.max(0, Math.round((b.expiresAt - e.at) / 1000));
  switch (e.type) {
    case 'bound':
      return {
        level: 'info',
        text: `registration: ${aor} bound ${b.contact} from ${sourceOf(b)} for ${seconds} s${b.userAgent ? `, ${b.userAgent}` : ''}`,
      };
    case 'refreshed':
      if (e.previous !== undefined && e.previous.contact !== b.contact)
        return {
          level: 'info',
          text: `registration: ${aor} bound ${b.contact} from ${sourceOf(b)} for ${seconds} s in place of ${e.previous.contact}, the same device's`,
        };
      if (plainRefresh(e))
        return { level: 'debug', text: `registration: ${aor} ${b.contact} refreshed for ${seconds} s` };
      return {
        level: 'info',
        text: `registration: ${aor} ${b.contact} refreshed from a new address ${sourceOf(b)} (was ${sourceOf(e.previous!)})`,
      };
    case 'removed':
      return { level: 'info', text: `registration: ${aor} ${b.contact} ${REMOVED[e.cause ?? 'unregister']}` };
    case 'expired':
      return { level: 'info', text: `registration: ${aor} ${b.contact} expired` };
  }
}

export function callLine(e: CallEvent): string | undefined {
  const c = e.call;
  const parties = `${c.caller.number || c.caller.uri} → ${c.callee.number || c.callee.uri}`;
  switch (e.type) {
    case 'started':
      // An INVITE IMS Lab refused as it arrived (a 407 to credentials that failed, a 403, a 404...) never
      // started: its one line is the failure's (the CDR's FAILED row), saying so.
      if (c.refusedOnArrival === true) return undefined;
      return `call ${c.callId}: ${parties} started from ${addressPort(c.caller.address, c.caller.port)}`;
    case 'answered': {
      const setup =
        c.answeredAt === undefined ? '' : ` after ${((c.answeredAt - c.startedAt) / 1000).toFixed(2)} s`;
      const media =
        c.mediaProblem !== undefined
          ? `, no media agreed: ${c.mediaProblem}`
          : c.media.codecs.length > 0
            ? `, ${c.media.codecs.join(', ')}${c.mediaNote === undefined ? '' : ` (${c.mediaNote})`}`
            : '';
      return `call ${c.callId}: ${parties} answered${setup}${media}`;
    }
    case 'ended': {
      const end = c.endedAt ?? e.at;
      const talk =
        c.refusedOnArrival === true
          ? `not started: refused on arrival from ${addressPort(c.caller.address, c.caller.port)}${authenticatedAs(c)}`
          : c.answeredAt === undefined
            ? 'not answered'
            : `${((end - c.answeredAt) / 1000).toFixed(1)} s talk`;
      const status = c.state === 'failed' && c.statusCode > 0 ? `${c.statusCode} ${c.statusText}`.trim() : '';
      const reason = c.endReason || status || c.state;
      return `call ${c.callId}: ${parties} ${c.state === 'ended' ? 'ended' : c.state} (${reason}${c.hangupBy ? `, by ${c.hangupBy}` : ''}), ${talk}`;
    }
    default:
      return undefined; // ringing and media changes: the dashboards show them
  }
}

/** `, authenticated as 1001` for a call whose From names someone else (a spoof refused 403), else ''. */
function authenticatedAs(c: Readonly<Call>): string {
  const user = otherAuthenticatedUser(c.authenticatedAs, c.caller.number);
  return user === undefined ? '' : `, authenticated as ${user}`;
}

/**
 * A BYE the other party never answered (Timer F): the call's row says it ended at the BYE, but that
 * party may still be in it (its Contact wrong or gone). A WARNING, naming the Call-ID and who.
 */
export function byeUnansweredLine(c: Readonly<Call>, by: 'caller' | 'callee'): string {
  const other = by === 'caller' ? 'callee' : 'caller';
  const party = by === 'caller' ? c.callee : c.caller;
  // Where the BYE went: the party's Contact (its target, §12.2.1.1), else where it was reached.
  const at =
    party.contact !== ''
      ? ` (Contact ${party.contact})`
      : party.address === ''
        ? ''
        : ` at ${addressPort(party.address, party.port)}`;
  return `call ${c.callId}: the ${other}${at} never answered the ${by}'s BYE (no final response before Timer F, RFC 3261 §17.1.2.2): its leg may still be up`;
}

export function messageLine(e: MessageEvent): string {
  const parties = `${e.from.number || e.from.uri} → ${e.to.number || e.to.uri}`;
  const status = e.statusCode > 0 ? `${e.statusCode} ${e.statusText}`.trim() : 'no answer';
  return `message ${e.callId}: ${parties} ${e.refused ? 'refused' : 'relayed'}, ${status}`;
}

export interface ActivitySources {
  onRegistration(listener: (e: RegistrationEvent) => void): () => void;
  onCall(listener: (e: CallEvent) => void): () => void;
  onMessage(listener: (e: MessageEvent) => void): () => void;
}

/**
 * Subscribes the log to the SIP stack's events; returns the unsubscribe function. `debug` says whether
 * DEBUG lines are kept now: a plain refresh's line (one per REGISTER under load) is not built otherwise.
 */
export function logActivity(
  log: Log,
  sources: ActivitySources,
  debug: () => boolean = () => true,
): () => void {
  const offs = [
    sources.onRegistration((e) => {
      if (!debug() && plainRefresh(e)) return;
      const line = registrationLine(e);
      if (line.level === 'info') log.info(line.text);
      else log.debug(line.text);
    }),
    sources.onCall((e) => {
      const line = callLine(e);
      if (line === undefined) return;
      // An answer without media to read (no SDP answer, an unreadable one), or with a codec the offer
      // never listed, is a fault of the callee's.
      if (e.type === 'answered' && (e.call.mediaProblem ?? e.call.mediaNote) !== undefined) log.warning(line);
      else log.info(line);
    }),
    sources.onMessage((e) => log.info(messageLine(e))),
  ];
  return () => {
    for (const off of offs) off();
  };
}
