// The app:// scheme the window loads the renderer from (Electron security checklist: "use a custom
// protocol instead of file://"). Every answer carries the Content-Security-Policy header, files are
// served from the built renderer only, and a path that leaves that folder is not found.
import type { Protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from './security';
import { STARTING_PAGE, STARTING_PATH } from './starting-page';

export const APP_SCHEME = 'app';
/** The renderer's origin; 'self' in its CSP. */
export const APP_ORIGIN = `${APP_SCHEME}://ims`;
export const APP_URL = `${APP_ORIGIN}/index.html`;
/** The page the window shows while the appliance starts (starting-page.ts). */
export const STARTING_URL = `${APP_ORIGIN}${STARTING_PATH}`;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
};

/** Must run before the app is ready: app:// behaves like https (secure context, fetch, relative URLs). */
export function registerAppScheme(protocol: Protocol): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the renderer folder on app://ims/ (after the app is ready). */
export function serveRenderer(protocol: Protocol, rendererDir: string): void {
  protocol.handle(APP_SCHEME, (request) => rendererResponse(rendererDir, request.method, request.url));
}

function answer(
  status: number,
  body: ConstructorParameters<typeof Response>[0],
  contentType: string,
): Response {
  return new Response(body, {
    status,
    headers: {
      'Content-Type': contentType,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    },
  });
}

/** The file a request for app://ims/<path> names, or undefined when it is not one of the renderer's. */
export function rendererFile(rendererDir: string, url: string): string | undefined {
  if (!url.startsWith(`${APP_ORIGIN}/`)) return undefined;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0')) return undefined;
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  return file.startsWith(root + path.sep) ? file : undefined;
}

export async function rendererResponse(rendererDir: string, method: string, url: string): Promise<Response> {
  if (method !== 'GET' && method !== 'HEAD')
    return answer(405, `${method} is not allowed`, 'text/plain; charset=utf-8');
  // The page shown while the appliance starts is main's own (starting-page.ts).
  if (url.split(/[?#]/)[0] === STARTING_URL)
    return answer(200, method === 'HEAD' ? null : STARTING_PAGE, CONTENT_TYPES['.html']!);
  const file = rendererFile(rendererDir, url);
  const notFound = (): Response => answer(404, 'not found', 'text/plain; charset=utf-8');
  if (file === undefined) return notFound();
  try {
    const body = await readFile(file);
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    return answer(200, method === 'HEAD' ? null : new Uint8Array(body), type);
  } catch {
    return notFound();
  }
}
