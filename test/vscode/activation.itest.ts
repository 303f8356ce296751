// The harness itself: our extension is loaded from the repository (extensionDevelopmentPath), activates,
// and registers the automation contract's commands.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('activation', () => {
  it('loads pod-profiler.pod-profiler from the repository and activates it', async () => {
    const ext = vscode.extensions.getExtension('pod-profiler.pod-profiler');
    assert.ok(ext, `extension not found; loaded: ${vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ')}`);
    await ext.activate();
    assert.equal(ext.isActive, true);
    assert.match(ext.extensionPath, /\/work\/|\//);
  });

  it('registers the commands of the automation contract', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const id of ['podProfiler.profilePod', 'podProfiler.openProfile', 'podProfiler.showFlamegraph', 'podProfiler.clearOverlays']) {
      assert.ok(all.includes(id), `command ${id} is not registered`);
    }
  });
});
