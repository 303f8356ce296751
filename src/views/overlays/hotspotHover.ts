// Hover on a hot line: the line's and its function's shares, and what "total" and "self" mean.
import * as vscode from 'vscode';
import type { ProfileSession } from '../profileSession';
import type { FunctionHotspot } from '../../model/hotspots';
import { amount, percent } from './formatShare';

export class HotspotHoverProvider implements vscode.HoverProvider {
  constructor(private readonly session: ProfileSession) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const loaded = this.session.active;
    const file = this.session.hotspotsFor(document.uri);
    if (!loaded || !file) return undefined;
    const lineNo = position.line + 1;
    const line = file.lines.get(lineNo);
    const fnAtDecl = file.functions.find((f) => f.line === lineNo);
    const fn = fnAtDecl ?? enclosing(file.functions, lineNo);
    if (!line && !fnAtDecl) return undefined;
    const total = loaded.hotspots.totalValue;
    const unit = loaded.profile.meta.unit;
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**Pod Profiler** · ${escape(loaded.label)}\n\n`);
    if (line) {
      md.appendMarkdown(
        `Line ${lineNo}: **${percent(line.deepest, total)} of CPU here** (${amount(line.deepest, unit)}), ` +
          `of which ${percent(line.self, total)} in the line's own code; ${percent(line.total, total)} total\n\n`,
      );
    }
    if (fn) {
      md.appendMarkdown(
        `${code(fn.name)}: **${percent(fn.total, total)} total**, ${percent(fn.self, total)} self, ${amount(fn.total, unit)}\n\n`,
      );
      if (fn.alternatives.length > 0) {
        md.appendMarkdown(`$(warning) The profile gives only the name; these definitions match too: ${fn.alternatives.map(code).join(', ')}\n\n`);
      }
    }
    md.appendMarkdown(
      `*Total*: share of all ${amount(total, unit)} whose stack contains it (with everything it calls). ` +
        `*Self*: share where it was the code executing. *CPU here*: self plus the library, runtime and kernel ` +
        `code it calls, i.e. the time no other line of your workspace accounts for.\n\n`,
    );
    md.appendMarkdown(`[Show flamegraph](command:podProfiler.showFlamegraph)`);
    md.isTrusted = { enabledCommands: ['podProfiler.showFlamegraph'] };
    return new vscode.Hover(md);
  }
}

/** The function declared closest above the line (functions are sorted by declaration line). */
function enclosing(functions: readonly FunctionHotspot[], line: number): FunctionHotspot | undefined {
  let best: FunctionHotspot | undefined;
  for (const f of functions) if (f.line <= line) best = f;
  return best;
}

/** A code span: backslash escapes are not read inside one, so only backticks need care (C++ names hold `*`, `<`). */
function code(s: string): string {
  const ticks = s.includes('`') ? '``' : '`';
  return `${ticks}${s.replace(/\r?\n/g, ' ')}${ticks}`;
}

function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
