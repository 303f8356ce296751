// Serves the flamegraph webview page on its own (the real HTML and CSP of the panel, dist/webview.js,
// media/flamegraph.css) on 127.0.0.1, with a theme stylesheet standing in for the variables VS Code injects,
// and opens it in headless Debian Chromium with a stub acquireVsCodeApi. Used by the page test and the bench.
import { createServer, type Server } from 'node:http';
import { readFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { join, extname } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { flamegraphHtml } from '../../src/views/flamegraph/flamegraphHtml';

export const ROOT = process.cwd();

/** A subset of VS Code's Dark+ / Light+ / High Contrast variables the webview reads. */
export const THEMES = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-editor-background': '#1e1e1e', '--vscode-editor-foreground': '#d4d4d4', '--vscode-foreground': '#cccccc',
      '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#b180d7', '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-red': '#f14c4c', '--vscode-charts-green': '#89d185', '--vscode-disabledForeground': '#cccccc80',
      '--vscode-focusBorder': '#007fd4', '--vscode-font-family': 'sans-serif', '--vscode-editor-font-family': 'monospace',
      '--vscode-button-background': '#0e639c', '--vscode-button-foreground': '#ffffff',
      '--vscode-editorHoverWidget-background': '#252526', '--vscode-panel-border': '#80808059',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-editor-background': '#ffffff', '--vscode-editor-foreground': '#000000', '--vscode-foreground': '#616161',
      '--vscode-charts-orange': '#d18616', '--vscode-charts-purple': '#652d90', '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-red': '#e51400', '--vscode-charts-green': '#388a34', '--vscode-disabledForeground': '#61616180',
      '--vscode-focusBorder': '#0090f1', '--vscode-font-family': 'sans-serif', '--vscode-editor-font-family': 'monospace',
      '--vscode-editorHoverWidget-background': '#f3f3f3', '--vscode-panel-border': '#80808059',
    },
  },
  'high-contrast': {
    bodyClass: 'vscode-high-contrast',
    vars: {
      '--vscode-editor-background': '#000000', '--vscode-editor-foreground': '#ffffff', '--vscode-foreground': '#ffffff',
      '--vscode-charts-orange': '#ff8c00', '--vscode-charts-purple': '#b180d7', '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-red': '#f48771', '--vscode-charts-green': '#89d185', '--vscode-disabledForeground': '#a5a5a5',
      '--vscode-focusBorder': '#f38518', '--vscode-contrastBorder': '#6fc3df', '--vscode-font-family': 'sans-serif',
      '--vscode-editor-font-family': 'monospace',
    },
  },
} as const;
export type ThemeName = keyof typeof THEMES;

export interface PageServer {
  readonly origin: string;
  url(theme: ThemeName): string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.map': 'application/json' };

/** Serves the flamegraph page and, optionally, extra static roots (the bench serves speedscope). */
export async function startPageServer(extraRoots: Record<string, string> = {}): Promise<PageServer> {
  if (!existsSync(join(ROOT, 'dist', 'webview.js'))) throw new Error('dist/webview.js is missing: run node scripts/build.mjs first');
  let origin = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (url.pathname === '/flamegraph.html') {
      const theme = THEMES[(url.searchParams.get('theme') ?? 'dark') as ThemeName] ?? THEMES.dark;
      const nonce = 'testnonce' + Math.random().toString(36).slice(2);
      let html = flamegraphHtml({ scriptUri: `${origin}/dist/webview.js`, styleUri: `${origin}/media/flamegraph.css`, cspSource: origin, nonce, title: 'test' });
      // What VS Code does for real webviews: theme variables on <html> and a theme class on <body>.
      html = html.replace('</head>', `<link rel="stylesheet" nonce="${nonce}" href="${origin}/theme.css?theme=${url.searchParams.get('theme') ?? 'dark'}">\n</head>`);
      html = html.replace('<body>', `<body class="${theme.bodyClass}">`);
      return send(200, 'text/html', html);
    }
    if (url.pathname === '/theme.css') {
      const theme = THEMES[(url.searchParams.get('theme') ?? 'dark') as ThemeName] ?? THEMES.dark;
      return send(200, 'text/css', `html { ${Object.entries(theme.vars).map(([k, v]) => `${k}: ${v};`).join(' ')} }`);
    }
    for (const [prefix, dir] of Object.entries({ '/dist/': join(ROOT, 'dist'), '/media/': join(ROOT, 'media'), ...extraRoots })) {
      if (!url.pathname.startsWith(prefix)) continue;
      const rel = decodeURIComponent(url.pathname.slice(prefix.length));
      if (rel.includes('..')) return send(403, 'text/plain', 'no');
      try {
        return send(200, TYPES[extname(rel)] ?? 'application/octet-stream', readFileSync(join(dir, rel)));
      } catch {
        return send(404, 'text/plain', 'not found');
      }
    }
    send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  origin = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  return {
    origin,
    url: (theme) => `${origin}/flamegraph.html?theme=${theme}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const dir = mkdtempSync(join(tmpdir(), 'flamegraph-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 800 },
    deviceScaleFactor: 1,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Stub of the VS Code webview API: records posted messages, keeps state across reloads of the page. */
export async function installVsCodeStub(page: Page, initialState?: unknown): Promise<void> {
  await page.addInitScript((state) => {
    const w = window as unknown as { __posted: unknown[]; __state: unknown; acquireVsCodeApi: () => unknown };
    w.__posted = [];
    w.__state = state;
    w.acquireVsCodeApi = () => ({
      postMessage: (m: unknown) => w.__posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => w.__state,
      setState: (s: unknown) => {
        w.__state = s;
      },
    });
  }, initialState);
}

export async function postToWebview(page: Page, message: unknown): Promise<void> {
  await page.evaluate((m) => window.postMessage(m, '*'), message);
}

export async function posted(page: Page): Promise<Array<Record<string, unknown>>> {
  return page.evaluate(() => (window as unknown as { __posted: Array<Record<string, unknown>> }).__posted);
}
