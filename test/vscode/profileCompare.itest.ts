// Issue 5's story inside real VS Code: the profile after the fix, compared with the one before, shows the
// drop in the CodeLens ("▼ N pts vs go-cpu.pb.gz") and a differential flamegraph. The expected drop is computed
// here from both pprof files with the independent wire reader.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { expectedLenses } from '../support/goCpuExpectations';
import { context, lensAt, lensesWhen } from './itestSupport';

const ctx = context();
const mainGo = vscode.Uri.file(join(ctx.workspace, 'main.go'));
const beforeFix = vscode.Uri.file(ctx.profile);
const afterFix = vscode.Uri.file(join(ctx.workspace, 'profiles', 'go-cpu-after-fix.pb.gz'));

describe('Compare a profile after the fix with the one before', function () {
  this.timeout(120_000);

  after(async () => {
    await vscode.commands.executeCommand('podProfiler.clearOverlays');
  });

  it('the CodeLens shows the drop of parseCatalog and the flamegraph is differential', async () => {
    const b = expectedLenses(beforeFix.fsPath, mainGo.fsPath);
    const a = expectedLenses(afterFix.fsPath, mainGo.fsPath);
    const drop = 100 * (b.parseCatalog.totalSamples / b.allSamples - a.parseCatalog.totalSamples / a.allSamples);
    assert.ok(drop > 50, `the fix should remove most of parseCatalog's share (drop ${drop.toFixed(1)})`);

    await vscode.window.showTextDocument(mainGo);
    assert.equal(await vscode.commands.executeCommand('podProfiler.openProfile', beforeFix), true);
    assert.equal(await vscode.commands.executeCommand('podProfiler.openProfile', afterFix), true);
    assert.equal(await vscode.commands.executeCommand('podProfiler.compareProfile', beforeFix), true);

    const want = `▼ ${drop.toFixed(1)} pts vs go-cpu.pb.gz (was ${b.parseCatalog.totalPercent})`;
    const lenses = await lensesWhen(mainGo, (l) => (lensAt(l, b.parseCatalog)?.command?.title ?? '').includes('pts vs'), 'compare lens');
    const title = lensAt(lenses, b.parseCatalog)!.command!.title;
    assert.ok(title.includes(want), `"${title}" should include "${want}"`);
    assert.ok(title.includes(`${a.parseCatalog.totalPercent} total`), `"${title}" should show the after-fix share ${a.parseCatalog.totalPercent}`);

    const deadline = Date.now() + 15_000;
    let labels: string[] = [];
    while (Date.now() < deadline) {
      labels = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview).map((t) => t.label);
      if (labels.some((l) => l.includes(' vs '))) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(labels.some((l) => l.includes('go-cpu-after-fix.pb.gz vs go-cpu.pb.gz')), `flamegraph tabs: ${JSON.stringify(labels)}`);
  });
});
