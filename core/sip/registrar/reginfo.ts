// The registration state document of the reg event package (RFC 3680 §5.1, schema §5.4), media type
// application/reginfo+xml: one <registration> for the watched address-of-record, one <contact> per
// binding. IMS Lab always sends full state (§4.7 allows it in every notification); a contact that has
// just gone is listed once more, terminated, with the event that ended it, so that the watcher learns why.
import { createHash } from 'node:crypto';
import type { Binding, RegistrationEvent } from './binding';

export const REGINFO_TYPE = 'application/reginfo+xml';
const GRUUINFO_NS = 'urn:ietf:params:xml:ns:gruuinfo';

/** RFC 3680 §4.7: what happened to a contact. `created`, `shortened` and `probation` are not produced here. */
export type ContactEvent =
  'registered' | 'refreshed' | 'expired' | 'deactivated' | 'unregistered' | 'rejected';

/** A contact that changed since the last notification, and how. */
export interface ContactChange {
  binding: Binding;
  event: ContactEvent;
  /** The contact is gone (expired, deactivated, unregistered, rejected). */
  gone: boolean;
}

/** RFC 3680 §4.7 contact events for the location service's events. */
export function contactChanges(e: RegistrationEvent): ContactChange[] {
  return e.type === 'refreshed' && e.previous !== undefined && e.previous.contact !== e.binding.contact
    ? // A device registered a new Contact URI (RFC 5626 §6): its old one is gone, its new one is new.
      [
        { binding: e.previous, event: 'unregistered', gone: true },
        { binding: e.binding, event: 'registered', gone: false },
      ]
    : [contactChange(e)];
}

function contactChange(e: RegistrationEvent): ContactChange {
  switch (e.type) {
    case 'bound':
      return { binding: e.binding, event: 'registered', gone: false };
    case 'refreshed':
      return { binding: e.binding, event: 'refreshed', gone: false };
    case 'expired':
      return { binding: e.binding, event: 'expired', gone: true };
    case 'removed':
      // §4.7: "deactivated" asks the UA to register again (an operator's RMV REG, a closed connection);
      // "rejected" tells it not to (its user deleted or disabled); "unregistered" is its own REGISTER.
      return {
        binding: e.binding,
        event:
          e.cause === 'user-deleted' || e.cause === 'user-disabled'
            ? 'rejected'
            : e.cause === 'unregister' || e.cause === undefined
              ? 'unregistered'
              : 'deactivated',
        gone: true,
      };
  }
}

export interface ReginfoState {
  /** §5.1: per subscription, 0 for the first notification, one more for each after. */
  version: number;
  aor: string;
  /** The AOR's live bindings now. */
  bindings: readonly Binding[];
  /** Contacts changed since the last notification (those gone are listed terminated). */
  changes: readonly ContactChange[];
  /** ms since the epoch. */
  now: number;
  /** RFC 5628: the GRUUs of a contact that has them (an instance ID), listed with it. */
  gruusOf?: (b: Binding) => { pub: string; temp: string } | undefined;
}

/** The reginfo document, full state. */
export function reginfoXml(s: ReginfoState): string {
  const changed = new Map(s.changes.map((c) => [c.binding.contact, c]));
  const contacts: string[] = [];
  let withGruus = false;
  for (const b of s.bindings) {
    const change = changed.get(b.contact);
    changed.delete(b.contact);
    // §4.7: a contact not changed now is described by the last thing that happened to it.
    const event = change?.event ?? (b.updatedAt > b.createdAt ? 'refreshed' : 'registered');
    const gruus = s.gruusOf?.(b);
    if (gruus !== undefined) withGruus = true;
    contacts.push(contactXml(s.aor, b, event, s.now, false, gruus));
  }
  for (const c of changed.values())
    if (c.gone) contacts.push(contactXml(s.aor, c.binding, c.event, s.now, true));
  // §4.7: "active" while a contact is, "terminated" when the last one has just gone, else "init".
  const state = s.bindings.length > 0 ? 'active' : contacts.length > 0 ? 'terminated' : 'init';
  return (
    `<?xml version="1.0"?>\n` +
    `<reginfo xmlns="urn:ietf:params:xml:ns:reginfo"${withGruus ? ` xmlns:gr="${GRUUINFO_NS}"` : ''} version="${s.version}" state="full">\n` +
    `  <registration aor="${xmlText(s.aor)}" id="${idOf(s.aor)}" state="${state}">\n` +
    contacts.join('') +
    `  </registration>\n` +
    `</reginfo>\n`
  );
}

function contactXml(
  aor: string,
  b: Binding,
  event: ContactEvent,
  now: number,
  gone: boolean,
  gruus?: { pub: string; temp: string },
): string {
  const attrs = [
    `id="${idOf(`${aor} ${b.contact}`)}"`,
    `state="${gone ? 'terminated' : 'active'}"`,
    `event="${event}"`,
    `duration-registered="${Math.max(0, Math.round((now - b.createdAt) / 1000))}"`,
  ];
  if (!gone) attrs.push(`expires="${Math.max(0, Math.round((b.expiresAt - now) / 1000))}"`);
  if (b.q !== undefined) attrs.push(`q="${b.q}"`);
  attrs.push(`callid="${xmlText(b.callId)}"`, `cseq="${b.cseq}"`);
  // RFC 5628 §3: the public GRUU, and a temporary one (first-cseq: the REGISTER it is valid from).
  const gr =
    gruus === undefined
      ? ''
      : `      <gr:pub-gruu uri="${xmlText(gruus.pub)}"/>\n` +
        `      <gr:temp-gruu uri="${xmlText(gruus.temp)}" first-cseq="${b.cseq}"/>\n`;
  return `    <contact ${attrs.join(' ')}>\n      <uri>${xmlText(b.contact)}</uri>\n${gr}    </contact>\n`;
}

/** §5.1: an id stable across notifications (the same AOR or contact gives the same one). */
function idOf(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 12);
}

/** Text for an XML attribute value or element content. */
function xmlText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c]!);
}

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
