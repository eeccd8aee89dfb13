// What a browser tab keeps across a reload of its page (F5, a reconnect's reload): sessionStorage, this
// tab's only and gone with it, as the login is (api/auth.ts). Values are JSON; what cannot be read back
// (storage disabled, a full quota, text that is no JSON) is as if nothing was kept.

/** The value kept under `key`, or undefined. */
export function tabKept(key: string): unknown {
  try {
    const text = globalThis.sessionStorage?.getItem(key);
    return text === null || text === undefined ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

/** Keeps `value` under `key` for this tab. */
export function keepInTab(key: string, value: unknown): void {
  try {
    globalThis.sessionStorage?.setItem(key, JSON.stringify(value));
  } catch {
    // storage disabled or full: the value lasts for this page only
  }
}
