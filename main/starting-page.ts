// The page the window shows while the appliance starts (opening the database, checking its ports, the
// start-up rehearsal: seconds), so that the app answers a launch with its window at once; the console
// replaces it once the appliance runs. Served by main on app://ims (app-protocol.ts), not a file of the
// renderer's build; no script (the CSP's 'self' only), its style inline as the CSP allows. The console's
// language is not known yet (the renderer keeps it): both are said. Its URL is app-protocol.ts's
// STARTING_URL.

export const STARTING_PATH = '/starting.html';

/** The window's background (window.ts), so that the page and the window are one colour. */
const BACKGROUND = '#0f1419';

export const STARTING_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="color-scheme" content="dark" />
    <title>IMS Lab</title>
    <style>
      html, body { height: 100%; margin: 0; }
      body {
        display: flex; align-items: center; justify-content: center;
        background: ${BACKGROUND}; color: #c9d1d9; font: 16px system-ui, sans-serif;
      }
      p { margin: 0.4em 0; text-align: center; }
    </style>
  </head>
  <body>
    <main role="status">
      <p>Starting IMS Lab…</p>
      <p lang="zh-CN">正在启动 IMS Lab…</p>
    </main>
  </body>
</html>
`;
