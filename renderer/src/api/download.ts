// Files the server wrote for the operator (EXP CDR's CSV, EXP TRACE's pcap) fetched with the session's
// token and handed to the browser as a download.

/** Hands a blob to the browser as a download named `name`. */
export function saveFile(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Revoked a moment later: some browsers start the download after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Fetches `file` from `route` (e.g. /api/export/) and downloads it; throws, naming the file and the HTTP
 * status, when it could not be fetched (written, but no download followed).
 */
export async function downloadExport(route: string, file: string, token: string): Promise<void> {
  const res = await fetch(`${route}${encodeURIComponent(file)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (!res.ok) throw new Error(`${file}: ${res.status} ${res.statusText}`);
  saveFile(file, await res.blob());
}
