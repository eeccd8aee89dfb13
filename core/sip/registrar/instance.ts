// A device's identity across its registrations (RFC 5626 §4.1, RFC 5627 §4.1): the instance ID a phone
// puts on its Contact (`+sip.instance="<urn:uuid:…>"`), the same whatever its address, and with SIP
// Outbound the reg-id of each of its flows. A phone that moves (a new port after a restart, a new
// address on another network) registers a new Contact URI under the same instance: the registrar
// replaces that device's binding instead of adding a second one (RFC 5626 §6, as Kamailio's usrloc
// does), and a proxy sends a request to one binding per device (RFC 5626 §5.3), the device's other flows
// kept to replace that branch should its flow fail (otherFlows).
import type { Binding } from './binding';

/**
 * The instance ID of a Contact, from its parameters as written, lower-case (URN comparison is
 * case-insensitive in practice: RFC 8141 §3); undefined when it has none.
 */
export function instanceOf(contactParams: string): string | undefined {
  if (!contactParams.includes('instance')) return undefined;
  const m = /;\s*\+sip\.instance\s*=\s*"<([^>"]+)>"/i.exec(contactParams);
  return m === null ? undefined : m[1]!.toLowerCase();
}

/**
 * RFC 5627 §3.1: the device's public GRUU, its AOR with the instance ID as the value of `gr`, escaped as
 * a URI parameter's value is (RFC 3261 §25.1 paramchar): an IMEI URN's `;svn=12` (RFC 7254), a `?`, `@`
 * or `%` of the URN stays in `gr` and reads back as the instance ID (uriParam unescapes).
 */
export function publicGruu(aor: string, instance: string): string {
  return `${aor};gr=${escapeParamValue(instance)}`;
}

/**
 * A value as a URI parameter's (RFC 3261 §25.1: paramchar = param-unreserved / unreserved / escaped):
 * every other character escaped, its UTF-8 octets (encodeURIComponent leaves none of them as they are),
 * so that `;`, `=`, `?`, `@` and `%` stay part of the value; uriParam unescapes it again. (No node:
 * module here: the console shows public GRUUs with this file.)
 */
function escapeParamValue(value: string): string {
  return value.replace(/[^A-Za-z0-9\-_.!~*'()[\]/:&+$]/gu, (c) => encodeURIComponent(c));
}

/**
 * RFC 5626 §4.1: the instance ID "MUST be a URN" (RFC 8141: `urn:`, a namespace ID of letters, digits
 * and hyphens, `:`, then the namespace-specific string), printable ASCII: urn:uuid (RFC 4122, baresip,
 * Linphone), urn:gsma:imei (RFC 7254, IMS phones).
 */
export function isUrn(instance: string): boolean {
  return /^urn:[a-z0-9][a-z0-9-]{0,31}:[\x21-\x7e]+$/i.test(instance);
}

/** RFC 5626 §4.2: the reg-id of a Contact (its flow), '' when it has none. */
export function regIdOf(contactParams: string): string {
  if (!contactParams.includes('reg-id')) return '';
  const m = /;\s*reg-id\s*=\s*(\d+)/i.exec(contactParams);
  return m === null ? '' : m[1]!;
}

/**
 * RFC 5626 §6: the binding of `bindings` that a Contact with these parameters updates when it carries an
 * instance ID: the one of the same instance and reg-id (neither having a reg-id counts as the same),
 * whatever its Contact URI. Undefined when the Contact has no instance ID or the device has no binding.
 */
export function sameDevice(bindings: readonly Binding[], contactParams: string): Binding | undefined {
  const instance = instanceOf(contactParams);
  if (instance === undefined) return undefined;
  const regId = regIdOf(contactParams);
  return bindings.find((b) => instanceOf(b.contactParams) === instance && regIdOf(b.contactParams) === regId);
}

/** Do both Contacts name a device (an instance ID), and different ones? */
export function otherDevice(held: string, given: string): boolean {
  const a = instanceOf(held);
  const b = instanceOf(given);
  return a !== undefined && b !== undefined && a !== b;
}

/**
 * RFC 5626 §5.3: "The proxy MUST NOT populate the target set with more than one contact with the same
 * AOR and instance-id at a time": of the bindings of one device (one per flow, reg-id), the latest
 * registered or refreshed. Bindings without an instance ID are each a device. Order kept otherwise.
 */
export function onePerDevice(bindings: Binding[]): Binding[] {
  if (bindings.length < 2 || !bindings.some((b) => b.contactParams.includes('instance'))) return bindings;
  const latest = new Map<string, Binding>();
  for (const b of bindings) {
    const instance = instanceOf(b.contactParams);
    if (instance === undefined) continue;
    const seen = latest.get(instance);
    if (seen === undefined || b.updatedAt > seen.updatedAt) latest.set(instance, b);
  }
  return bindings.filter((b) => {
    const instance = instanceOf(b.contactParams);
    return instance === undefined || latest.get(instance) === b;
  });
}

const NO_FLOWS: readonly Binding[] = [];

/**
 * RFC 5626 §5.3: "If a request for a particular AOR and instance-id fails with a 430 (Flow Failed)
 * response, the proxy SHOULD replace the failed branch with another target (if one is available) with the
 * same AOR and instance-id, but a different reg-id": the other bindings (flows) of `chosen`'s device
 * among `bindings`, newest first (the order onePerDevice chose by). An empty array, allocated once, for a
 * binding without an instance ID or a device with one flow: the common case costs a length check.
 */
export function otherFlows(bindings: readonly Binding[], chosen: Binding): readonly Binding[] {
  if (bindings.length < 2 || !chosen.contactParams.includes('instance')) return NO_FLOWS;
  const instance = instanceOf(chosen.contactParams);
  if (instance === undefined) return NO_FLOWS;
  let out: Binding[] | undefined;
  for (const b of bindings)
    if (b !== chosen && b.contactParams.includes('instance') && instanceOf(b.contactParams) === instance)
      (out ??= []).push(b);
  // Stable: of two registered at the same moment, the first listed first, as onePerDevice keeps it.
  return out === undefined ? NO_FLOWS : out.sort((a, b) => b.updatedAt - a.updatedAt);
}
