// Gutter heat and overview-ruler marks on hot lines, coloured by the line's self share of CPU within the
// workspace: time on the line itself plus the library, runtime and kernel code it calls (LineHotspot.deepest),
// so `json.Unmarshal(data, &items)` glows although the decoding happens in the standard library. Three levels, each a contributed theme colour (light, dark and high-contrast defaults in package.json).
import * as vscode from 'vscode';
import type { ProfileSession } from '../profileSession';
import { config } from '../../config';

const levels = ['Low', 'Medium', 'High'] as const;

/** Level index for a self share, relative to the hottest line of the profile so the scale always spreads. */
export function heatLevel(selfShare: number, hottestShare: number): number {
  const r = hottestShare > 0 ? selfShare / hottestShare : 0;
  return r >= 0.5 ? 2 : r >= 0.15 ? 1 : 0;
}

function gutterBar(colour: string): vscode.Uri {
  // A solid bar; the SVG cannot read theme colours, so light and dark variants are registered separately.
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="6" height="20"><rect x="1" width="4" height="20" fill="${colour}"/></svg>`;
  return vscode.Uri.parse(`data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`);
}

const gutterColours = {
  dark: ['#e5c07b', '#e0864a', '#e06c75'],
  light: ['#c18400', '#d05f00', '#c4001d'],
};

export class HeatDecorations implements vscode.Disposable {
  private readonly types: vscode.TextEditorDecorationType[];
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly session: ProfileSession) {
    this.types = levels.map((level, i) =>
      vscode.window.createTextEditorDecorationType({
        isWholeLine: true,
        overviewRulerColor: new vscode.ThemeColor(`podProfiler.heat${level}`),
        overviewRulerLane: vscode.OverviewRulerLane.Right,
        backgroundColor: i === 2 ? new vscode.ThemeColor('podProfiler.heatLineBackground') : undefined,
        light: { gutterIconPath: gutterBar(gutterColours.light[i]), gutterIconSize: 'contain' },
        dark: { gutterIconPath: gutterBar(gutterColours.dark[i]), gutterIconSize: 'contain' },
      }),
    );
    this.disposables.push(
      session.onDidChange(() => this.refreshAll()),
      vscode.window.onDidChangeVisibleTextEditors(() => this.refreshAll()),
    );
    this.refreshAll();
  }

  refreshAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.apply(editor);
  }

  private apply(editor: vscode.TextEditor): void {
    const loaded = this.session.active;
    const file = this.session.hotspotsFor(editor.document.uri);
    const ranges: vscode.Range[][] = levels.map(() => []);
    if (loaded && file && config.heatEnabled()) {
      const total = loaded.hotspots.totalValue;
      const min = config.heatMinSelfPercent();
      let hottest = 0;
      for (const f of loaded.hotspots.files.values()) for (const l of f.lines.values()) hottest = Math.max(hottest, l.deepest);
      for (const l of file.lines.values()) {
        if (l.deepest <= 0 || (100 * l.deepest) / total < min || l.line > editor.document.lineCount) continue;
        ranges[heatLevel(l.deepest, hottest)].push(editor.document.lineAt(l.line - 1).range);
      }
    }
    this.types.forEach((t, i) => editor.setDecorations(t, ranges[i]));
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const t of this.types) t.dispose();
  }
}
