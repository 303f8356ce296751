// The current view as a standalone SVG document (what "Save as SVG" writes).
import type { VisibleRect } from './renderer';

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function viewToSvg(rects: readonly VisibleRect[], width: number, height: number, background: string, font: string, titleOf: (node: number) => string): string {
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.round(width)}" height="${Math.round(height)}" viewBox="0 0 ${Math.round(width)} ${Math.round(height)}" font-family="${esc(font.replace(/^\d+px\s+/, ''))}" font-size="12">`,
    `<rect width="100%" height="100%" fill="${esc(background)}"/>`,
  ];
  for (const r of rects) {
    const x = Math.max(r.x, 0);
    const w = Math.min(r.x + r.w, width) - x;
    if (w <= 0) continue;
    const title = r.node >= 0 ? `<title>${esc(titleOf(r.node))}</title>` : '';
    out.push(`<g>${title}<rect x="${x.toFixed(1)}" y="${r.y.toFixed(1)}" width="${Math.max(w - (w > 3 ? 1 : 0), 0.5).toFixed(1)}" height="${r.h - 1}" fill="${esc(r.fill)}"/>`);
    if (r.label) out.push(`<text x="${(x + 4).toFixed(1)}" y="${(r.y + r.h / 2 + 4).toFixed(1)}" fill="${r.text ?? '#000'}">${esc(r.label)}</text>`);
    out.push('</g>');
  }
  out.push('</svg>');
  return out.join('\n');
}
