// "How far back?" for profilers that store samples continuously (Pyroscope, Parca): a few usual windows,
// the configured default marked, and a custom one typed as 90s, 10m or 2h.
import * as vscode from 'vscode';
import { windowText } from '../sources/agents/storeWindow';
import { parseLookback } from './lookback';

const presets = [60, 5 * 60, 15 * 60, 60 * 60];

/** Undefined when dismissed. */
export async function pickLookback(title: string, defaultSeconds: number, maxSeconds: number): Promise<number | undefined> {
  const choices = [...new Set([...presets, defaultSeconds])].sort((a, b) => a - b);
  const pick = await vscode.window.showQuickPick(
    [
      ...choices.map((s) => ({ label: `Last ${windowText(s)}`, description: s === defaultSeconds ? 'default' : undefined, seconds: s })),
      { label: 'Custom...', description: 'e.g. 90s, 10m, 2h', seconds: 0 },
    ],
    { title, placeHolder: 'Samples are stored continuously: which part of the past to merge?' },
  );
  if (!pick) return undefined;
  if (pick.seconds > 0) return pick.seconds;
  const text = await vscode.window.showInputBox({
    title: 'How far back',
    value: '2m',
    validateInput: (v) => (parseLookback(v, maxSeconds) !== undefined ? undefined : `A duration from 10s to ${windowText(maxSeconds)}, e.g. 90s, 10m, 2h`),
  });
  return text ? parseLookback(text, maxSeconds) : undefined;
}
