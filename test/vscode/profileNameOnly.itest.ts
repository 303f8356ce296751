// Issue 4 inside real VS Code: an eBPF folded profile (function names only, no file or line) of the Go fixture
// lands its CodeLenses on the right declarations of main.go; edits move them; a second matching definition
// is reported as ambiguous rather than guessed. Expectations come from the folded text and a regex over main.go.
import * as assert from 'node:assert/strict';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { expectedFoldedLenses } from '../support/goCpuExpectations';
import { assertLens, context, lensAt, lensesWhen } from './itestSupport';

const ctx = context();
const mainGo = vscode.Uri.file(join(ctx.workspace, 'main.go'));
const folded = vscode.Uri.file(join(ctx.workspace, 'profiles', 'go.folded'));
// A dot in the folder's name, as in gopkg.in/yaml.v3: no source file's name, so only a stat tells it is a folder.
const twinDir = vscode.Uri.file(join(ctx.workspace, 'legacy.v1'));
const twin = vscode.Uri.joinPath(twinDir, 'catalog.go');

async function allLenses(uri: vscode.Uri): Promise<vscode.CodeLens[]> {
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
}

async function until<T>(what: string, get: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let v = await get();
  while (!ok(v)) {
    if (Date.now() > deadline) throw new Error(`${what}: timed out`);
    await new Promise((r) => setTimeout(r, 250));
    v = await get();
  }
  return v;
}

describe('Name-only eBPF profile resolved to workspace definitions', function () {
  this.timeout(120_000);

  before(async () => {
    await vscode.commands.executeCommand('podProfiler.clearOverlays');
    await vscode.window.showTextDocument(mainGo);
  });

  after(async () => {
    await vscode.commands.executeCommand('podProfiler.clearOverlays');
  });

  it('openProfile(go.folded) puts CodeLenses with the folded shares on the declarations', async () => {
    const expected = expectedFoldedLenses(folded.fsPath, mainGo.fsPath);
    assert.equal(await vscode.commands.executeCommand('podProfiler.openProfile', folded), true);
    const lenses = await lensesWhen(mainGo, (l) => !!lensAt(l, expected.parseCatalog) && !!lensAt(l, expected.readCatalogFile), 'lenses from names only', 60_000);
    assertLens(lenses, expected.readCatalogFile);
    assertLens(lenses, expected.parseCatalog);
  });

  it('editing main.go moves the CodeLenses with the code (index follows the file)', async () => {
    const before = expectedFoldedLenses(folded.fsPath, mainGo.fsPath);
    const doc = await vscode.workspace.openTextDocument(mainGo);
    const insertAt = new vscode.Position(before.readCatalogFile.line - 2, 0); // above the doc comment
    const edit = new vscode.WorkspaceEdit();
    edit.insert(mainGo, insertAt, '// added\n// by the\n// test\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await doc.save());
    // Both declarations below the insertion move down 3 lines (found again by regex over the saved file).
    const after = expectedFoldedLenses(folded.fsPath, mainGo.fsPath);
    assert.equal(after.readCatalogFile.line, before.readCatalogFile.line + 3);
    assert.equal(after.parseCatalog.line, before.parseCatalog.line + 3);
    const lenses = await lensesWhen(mainGo, (l) => !!lensAt(l, after.parseCatalog) && !!lensAt(l, after.readCatalogFile), 'lenses 3 lines lower', 30_000);
    assertLens(lenses, after.readCatalogFile);
    assertLens(lenses, after.parseCatalog);
    assert.equal(lensAt(lenses, before.readCatalogFile), undefined, 'a lens stayed on the old readCatalogFile line');
    // Put the file back for the suites that follow.
    const undo = new vscode.WorkspaceEdit();
    undo.delete(mainGo, new vscode.Range(insertAt, insertAt.translate(3)));
    assert.ok(await vscode.workspace.applyEdit(undo));
    assert.ok(await doc.save());
    await lensesWhen(mainGo, (l) => !!lensAt(l, before.parseCatalog), 'parseCatalog lens back in place', 30_000);
  });

  it('a second definition matching the same name is reported as ambiguous, and resolved again when removed', async () => {
    // Another `package main` with the same method: the Go symbol main.(*productCatalog).parseCatalog fits both.
    // The folder arrives whole, its file already in it (as a checkout or an unpacked archive leaves it): the
    // watcher reports the folder alone, never the file.
    const staging = mkdtempSync(join(dirname(ctx.workspace), 'pp-staging-'));
    writeFileSync(join(staging, 'catalog.go'), 'package main\n\ntype productCatalog struct{}\n\nfunc (c *productCatalog) parseCatalog() (int, float64, error) {\n\treturn 0, 0, nil\n}\n');
    renameSync(staging, twinDir.fsPath);
    const ambiguous = (ls: vscode.CodeLens[]) => ls.some((l) => /ambiguous/.test(l.command?.title ?? ''));
    try {
      await vscode.workspace.openTextDocument(twin);
      const lenses = await until('an ambiguous lens in main.go or legacy.v1/catalog.go', async () => [...(await allLenses(mainGo)), ...(await allLenses(twin))], ambiguous, 30_000);
      const lens = lenses.find((l) => /ambiguous/.test(l.command?.title ?? ''))!;
      assert.equal(lens.command?.command, 'podProfiler.pickDefinition');
      assert.ok((await vscode.commands.getCommands(true)).includes('podProfiler.pickDefinition'), 'the lens points at an unregistered command');
      assert.match(lens.command!.title, /2 definitions/);
    } finally {
      await vscode.workspace.fs.delete(twinDir, { recursive: true });
    }
    await until('no ambiguous lens after the twin is deleted', () => allLenses(mainGo), (ls) => !ambiguous(ls) && ls.some((l) => /🔥/.test(l.command?.title ?? '')), 30_000);
  });
});
