// The user part of an AOR as bindings are filed under it (registrar.ts aorOf: sip:<user>@<domain>, the
// user unescaped), read the one way the location service's index by user and the MML commands share.

/** The user part of an AOR: sip:1001@ims.lab → 1001 (undefined when it has none). */
export function userPartOf(aor: string): string | undefined {
  const m = /^sips?:([^@]+)@/i.exec(aor);
  return m?.[1];
}
