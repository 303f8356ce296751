// The flamegraph webview's HTML document. No vscode API: the page test (test/e2e/flamegraphPage.test.ts)
// serves exactly this document, CSP included, to headless Chromium.

export interface FlamegraphHtmlParts {
  /** URI of dist/webview.js as the webview can load it. */
  readonly scriptUri: string;
  /** URI of media/flamegraph.css. */
  readonly styleUri: string;
  /** `webview.cspSource`: the origin local resources are served from. */
  readonly cspSource: string;
  readonly nonce: string;
  readonly title: string;
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function flamegraphHtml(p: FlamegraphHtmlParts): string {
  const a = (s: string) => escapeHtml(s);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${a(contentSecurityPolicy(p.cspSource, p.nonce))}">
<!-- FAST (under the webview toolkit) reads this nonce for the one <style> element it creates. -->
<meta property="csp-nonce" content="${a(p.nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${a(p.styleUri)}" nonce="${a(p.nonce)}">
<title>${a(p.title)}</title>
</head>
<body>
<header id="toolbar" role="toolbar" aria-label="Flamegraph tools">
  <span id="title" class="title"></span>
  <span id="toolbar-controls"></span>
</header>
<div id="status" role="status" aria-live="polite"></div>
<main id="layout">
  <section id="graph-pane" aria-label="Flamegraph">
    <canvas id="minimap" aria-label="Minimap of the whole flamegraph; drag to move the view"></canvas>
    <div id="canvas-wrap">
      <canvas id="flamegraph" tabindex="0" role="application"
        aria-label="Flamegraph. Arrow keys move between frames, Enter zooms, Escape resets, C centres, O opens the source, ? lists every shortcut."></canvas>
      <div id="sandwich" hidden>
        <div class="sandwich-label" id="sandwich-callers-label">Callers</div>
        <canvas id="sandwich-callers" tabindex="0" aria-label="Callers of the selected function"></canvas>
        <div class="sandwich-label" id="sandwich-callees-label">Callees</div>
        <canvas id="sandwich-callees" tabindex="0" aria-label="Callees of the selected function"></canvas>
      </div>
    </div>
    <div id="legend" aria-label="Colour legend"></div>
  </section>
  <aside id="table-pane" aria-label="Functions">
    <table id="function-table">
      <thead><tr>
        <th data-sort="name" scope="col">Function</th>
        <th data-sort="self" scope="col" class="num">Self</th>
        <th data-sort="total" scope="col" class="num">Total</th>
      </tr></thead>
      <tbody></tbody>
    </table>
  </aside>
</main>
<div id="shortcuts" role="dialog" aria-label="Gestures and shortcuts" tabindex="-1" hidden></div>
<div id="tooltip" role="tooltip" hidden></div>
<div id="context-menu" role="menu" hidden></div>
<script nonce="${a(p.nonce)}" src="${a(p.scriptUri)}"></script>
</body>
</html>`;
}
