// Path (RFC 3327), the registrar's side:
//  - §4: a Path value is a Route value (name-addr *(SEMI rr-param), e.g. <sip:pcscf.ims.lab;lr>);
//    several Path fields, or several values in one, are one list in the order written; a UA says it
//    supports the extension with the option tag `path` in Supported;
//  - §5.3: a REGISTER that carries Path without `path` in Supported is left to local policy, and the
//    policy the RFC recommends is ours: 420 (Bad Extension) naming path, so that the UA learns that a
//    proxy added itself to its Path without its consent (Kamailio's registrar calls this path_mode
//    "strict");
//  - §5.3: the values, in order, are the path vector stored with every binding the REGISTER creates or
//    refreshes (a refresh without Path leaves the binding none), and are copied into the 200.
import { detached, parseNameAddrList, SipParseError, type NameAddr, type SipRequest } from '../message/index';
import { PATH_TAG, supports } from './option-tags';

/** §5.3: Path present, and the UA did not list `path` in Supported (the REGISTER is refused 420). */
export function pathUnsupported(req: SipRequest): boolean {
  return req.has('path') && !supports(req, PATH_TAG);
}

/**
 * The REGISTER's path vector (§5.3): every Path value as written, in order; undefined when it has none,
 * null when one is not a name-addr with a SIP or SIPS URI (a Route value must be one, §4; RFC 3261 §20.34).
 */
export function pathVector(req: SipRequest): string[] | undefined | null {
  const fields = req.headerValues('path');
  if (fields.length === 0) return undefined;
  const values: NameAddr[] = [];
  for (const field of fields) if (parseNameAddrList(field, 'Path', values) === null) return null;
  try {
    if (values.some((v) => !v.bracketed || v.uri.kind !== 'sip')) return null;
  } catch (err) {
    if (err instanceof SipParseError) return null;
    throw err;
  }
  return values.map((v) => detached(v.raw));
}

/** The vector a refreshed binding keeps: the one it holds when the REGISTER's is the same (detached.ts). */
export function keptPath(
  held: readonly string[] | undefined,
  path: readonly string[] | undefined,
): readonly string[] | undefined {
  if (held === undefined || path === undefined || held.length !== path.length) return path;
  return held.every((v, i) => v === path[i]) ? held : path;
}
