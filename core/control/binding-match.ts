// Which bindings a search of the Registrations view finds: the same words on the server (a page of
// the location service, control.ts) and in the console (the live events applied to that page), so that
// a binding the server would list is kept and one it would not is left out.
/** What a search reads of a binding (the location service's, or the console's copy of one). */
interface Searched {
  aor: string;
  contact: string;
  contactParams?: string | undefined;
  userAgent: string;
  sourceAddress: string;
  path?: readonly string[] | undefined;
}

/** Does `search` (any case) occur in the AOR, contact and its parameters, user agent, source or Path? */
export function bindingMatches(b: Searched, search: string): boolean {
  const q = search.trim().toLowerCase();
  if (q === '') return true;
  const text = `${b.aor} ${b.contact} ${b.contactParams ?? ''} ${b.userAgent} ${b.sourceAddress} ${(b.path ?? []).join(' ')}`;
  return text.toLowerCase().includes(q);
}
