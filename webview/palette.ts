// Colours of the flamegraph, taken from the VS Code theme (--vscode-charts-* variables) so light, dark and
// high-contrast themes work. Kinds differ in hue AND lightness (a fixed lightness ladder), and kernel /
// unknown frames also carry a pattern, so they stay apart for colour-blind users and in greyscale.
import type { FlameFrameKind } from './protocol';

export type PaletteKind = FlameFrameKind | 'root' | 'merged';

interface Hsl {
  h: number;
  s: number;
  l: number;
}

export interface KindStyle {
  readonly label: string;
  readonly cssVar: string;
  readonly fallback: string;
  /** Lightness on dark and light themes: distinct steps so kinds differ without hue. */
  readonly lightDark: number;
  readonly lightLight: number;
  readonly saturation?: number;
  readonly pattern?: 'stripes' | 'dots';
}

export const KIND_STYLES: Record<FlameFrameKind, KindStyle> = {
  user: { label: 'Your code', cssVar: '--vscode-charts-orange', fallback: '#d18616', lightDark: 66, lightLight: 72 },
  k8s: { label: 'Kubernetes', cssVar: '--vscode-charts-purple', fallback: '#b180d7', lightDark: 36, lightLight: 44 },
  runtime: { label: 'Runtime / stdlib (dimmed)', cssVar: '--vscode-charts-blue', fallback: '#3794ff', lightDark: 52, lightLight: 84, saturation: 18 },
  kernel: { label: 'Kernel', cssVar: '--vscode-charts-red', fallback: '#f14c4c', lightDark: 44, lightLight: 56, pattern: 'stripes' },
  java: { label: 'Java / JIT', cssVar: '--vscode-charts-green', fallback: '#89d185', lightDark: 28, lightLight: 34 },
  unknown: { label: 'Unsymbolized', cssVar: '--vscode-disabledForeground', fallback: '#808080', lightDark: 22, lightLight: 64, saturation: 0, pattern: 'dots' },
};

export function parseColor(css: string): { r: number; g: number; b: number } | undefined {
  const s = css.trim();
  let m = /^#([0-9a-f]{3,8})$/i.exec(s);
  if (m) {
    let hex = m[1];
    if (hex.length === 3 || hex.length === 4) hex = [...hex.slice(0, 3)].map((c) => c + c).join('');
    if (hex.length < 6) return undefined;
    return { r: parseInt(hex.slice(0, 2), 16), g: parseInt(hex.slice(2, 4), 16), b: parseInt(hex.slice(4, 6), 16) };
  }
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(s);
  if (m) return { r: +m[1], g: +m[2], b: +m[3] };
  return undefined;
}

export function rgbToHsl(r: number, g: number, b: number): Hsl {
  r /= 255;
  g /= 255;
  b /= 255;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  if (max === min) return { h: 0, s: 0, l: l * 100 };
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  let h = max === r ? (g - b) / d + (g < b ? 6 : 0) : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  h *= 60;
  return { h, s: s * 100, l: l * 100 };
}

/** Relative luminance estimate of an HSL colour, for choosing black or white text. */
function hslLuminance(c: Hsl): number {
  const s = c.s / 100;
  const l = c.l / 100;
  const k = (n: number) => (n + c.h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  const lin = (v: number) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(f(0)) + 0.7152 * lin(f(8)) + 0.0722 * lin(f(4));
}

function hslCss(c: Hsl): string {
  return `hsl(${c.h.toFixed(1)} ${c.s.toFixed(1)}% ${c.l.toFixed(1)}%)`;
}

/** Small stable hash of a name, for a slight per-function lightness variation inside one kind. */
export function nameHash(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296;
}

export interface Palette {
  readonly dark: boolean;
  readonly highContrast: boolean;
  readonly background: string;
  readonly foreground: string;
  readonly focus: string;
  readonly border?: string;
  readonly kind: Record<FlameFrameKind, { fill: Hsl; text: string; css: string }>;
  readonly root: string;
  readonly merged: string;
  readonly searchMatch: string;
  readonly growth: Hsl;
  readonly shrink: Hsl;
  readonly font: string;
}

type StyleReader = (name: string) => string;

export function readPalette(read: StyleReader, bodyClasses: readonly string[]): Palette {
  const highContrast = bodyClasses.some((c) => c.startsWith('vscode-high-contrast'));
  const bgRgb = parseColor(read('--vscode-editor-background')) ?? { r: 30, g: 30, b: 30 };
  const dark = rgbToHsl(bgRgb.r, bgRgb.g, bgRgb.b).l < 50 && !bodyClasses.includes('vscode-high-contrast-light');
  const kind = {} as Palette['kind'];
  for (const [k, st] of Object.entries(KIND_STYLES) as Array<[FlameFrameKind, KindStyle]>) {
    const rgb = parseColor(read(st.cssVar)) ?? parseColor(st.fallback)!;
    const base = rgbToHsl(rgb.r, rgb.g, rgb.b);
    const fill: Hsl = {
      h: base.h,
      s: st.saturation ?? Math.max(45, Math.min(85, base.s)),
      l: dark ? st.lightDark : st.lightLight,
    };
    const text = hslLuminance(fill) > 0.22 ? '#000000' : '#ffffff';
    kind[k] = { fill, text, css: hslCss(fill) };
  }
  const fg = read('--vscode-editor-foreground') || (dark ? '#cccccc' : '#333333');
  return {
    dark,
    highContrast,
    background: read('--vscode-editor-background') || (dark ? '#1e1e1e' : '#ffffff'),
    foreground: fg,
    focus: read('--vscode-focusBorder') || '#007fd4',
    border: highContrast ? read('--vscode-contrastBorder') || fg : undefined,
    kind,
    root: dark ? 'hsl(0 0% 34%)' : 'hsl(0 0% 80%)',
    merged: dark ? 'hsl(0 0% 40%)' : 'hsl(0 0% 70%)',
    searchMatch: read('--vscode-editor-findMatchHighlightBackground') || '#ea5c0055',
    growth: { h: 0, s: 80, l: dark ? 55 : 58 },
    shrink: { h: 215, s: 80, l: dark ? 58 : 55 },
    font: `12px ${read('--vscode-editor-font-family') || read('--vscode-font-family') || 'monospace'}`,
  };
}

/** Fill of one function's bars: its kind's colour with a small lightness variation by name. */
export function fillFor(p: Palette, kind: FlameFrameKind, name: string): string {
  const c = p.kind[kind].fill;
  const jitter = (nameHash(name) - 0.5) * 8; // ±4 lightness, well inside the 8+ steps between kinds
  return hslCss({ h: c.h, s: c.s, l: Math.max(8, Math.min(92, c.l + jitter)) });
}

/** Differential colour: growth red, shrink blue, intensity by |delta| relative to the largest change. */
export function diffFill(p: Palette, delta: number, maxAbs: number): string {
  const t = maxAbs > 0 ? Math.min(1, Math.abs(delta) / maxAbs) : 0;
  if (t < 0.02) return p.dark ? 'hsl(0 0% 42%)' : 'hsl(0 0% 82%)';
  const c = delta > 0 ? p.growth : p.shrink;
  // Stronger change: more saturated and further from the neutral lightness.
  const neutral = p.dark ? 42 : 82;
  return hslCss({ h: c.h, s: 20 + c.s * t * 0.8, l: neutral + (c.l - neutral) * (0.35 + 0.65 * t) });
}

/** CSS hsl() to RGB bytes, as browsers convert it (CSS Color 4, "hsl-to-rgb"). */
export function hslToRgb(h: number, s: number, l: number): { r: number; g: number; b: number } {
  s = Math.max(0, Math.min(100, s)) / 100;
  l = Math.max(0, Math.min(100, l)) / 100;
  h = ((h % 360) + 360) % 360;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return { r: f(0), g: f(8), b: f(4) };
}

/** RGB of the colours this webview produces or reads from the theme (hsl(), #hex, rgb()); undefined otherwise. */
export function cssToRgb(css: string): { r: number; g: number; b: number } | undefined {
  const m = /^\s*hsla?\(\s*([-\d.]+)(?:deg)?[\s,]+([\d.]+)%[\s,]+([\d.]+)%/i.exec(css);
  return m ? hslToRgb(+m[1], +m[2], +m[3]) : parseColor(css);
}

export function textOn(fillCss: string): string {
  const m = /hsl\(([\d.]+) ([\d.]+)% ([\d.]+)%\)/.exec(fillCss);
  if (!m) return '#000000';
  return hslLuminance({ h: +m[1], s: +m[2], l: +m[3] }) > 0.22 ? '#000000' : '#ffffff';
}
