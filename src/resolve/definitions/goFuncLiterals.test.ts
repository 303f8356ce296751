// The func literals the index notes while eliding Go bodies must be exactly tree-sitter's func_literal nodes
// (the reference the resolver used before, by re-parsing each function): checked per definition on tricky
// shapes and on the Go fixture sources. Lines are also checked against plain regexes over the source.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefinitionIndex, type ClosureSite } from '../definitionIndex';
import { TreeSitterHost, type TsNode } from './treeSitter';
import { repoRoot } from '../../../test/support/repoRoot';

const TRICKY = `package tricky

import "sort"

type handler func(int) error

func Types() {
	var a func(int) int                    // type
	b := []func(){nil, nil}                // composite literal of func values, not a closure
	c := map[string]func() error{"x": nil} // same
	d := make(chan func(), 1)              // type
	e := (func())(nil)                     // conversion
	l := []func() func(){nil}              // func values returning func(): neither func is a closure
	_, _, _, _, _, _ = a, b, c, d, e, l
}

func Results() (int, error) {
	f := func() (int, error) { return 0, nil } // L1
	g := func() func() int { // L2
		return func() int { return 1 } // L2.1
	}
	h := func() struct{ x int } { return struct{ x int }{} } // L3
	i := func() map[string][]int { return nil } // L4
	j := func(s string, /* c */ t ...int) *[]chan<- error { // L5
		_ = "func() {" + ` + "`func(){`" + `
		return nil
	}
	k := func() interface{ M() } { return nil } // L6
	m := func /* comment */ (x int) {} // L7
	_, _, _, _, _, _, _ = f, g, h, i, j, k, m
	return 0, nil
}

func (r *T) Method(xs []int) {
	sort.Slice(xs, func(a, b int) bool { // M1
		return func() bool { // M1.1
			defer func() { // M1.1.1
				_ = recover()
			}()
			return xs[a] < xs[b]
		}()
	})
	go func() {}() // M2
	// func() {} in a comment
}

func Generic[T any](x T) func() T {
	return func() T { return x } // G1
}

type T struct{}

var pkgLevel = func() int { return 1 }()
`;

function expectedLines(src: string, label: RegExp): number[] {
  return src.split('\n').flatMap((l, i) => (label.test(l) ? [i + 1] : []));
}

/** Tree-sitter's answer: per top-level function (by name line), its func_literal forest. */
async function treeSitterSites(text: string): Promise<Map<number, ClosureSite[]>> {
  const host = await TreeSitterHost.create();
  await host.load('go');
  const tree = host.parser('go')!.parse(text)!;
  const out = new Map<number, ClosureSite[]>();
  const collect = (node: TsNode, into: ClosureSite[]) => {
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'func_literal') {
        const site = { line: child.startPosition.row + 1, endLine: child.endPosition.row + 1, children: [] as ClosureSite[] };
        into.push(site);
        collect(child, site.children);
      } else collect(child, into);
    }
  };
  for (const node of tree.rootNode.namedChildren) {
    if (!node || (node.type !== 'function_declaration' && node.type !== 'method_declaration')) continue;
    const sites: ClosureSite[] = [];
    collect(node, sites);
    out.set(node.childForFieldName('name')!.startPosition.row + 1, sites);
  }
  tree.delete();
  return out;
}

async function compareWithTreeSitter(index: DefinitionIndex, file: string): Promise<number> {
  const reference = await treeSitterSites(readFileSync(file, 'utf8'));
  let literals = 0;
  for (const def of index.definitionsIn(file)) {
    const want = reference.get(def.line) ?? [];
    assert.deepEqual(index.closureSites(def), want, `${file}: ${def.name}`);
    const count = (s: readonly ClosureSite[]): number => s.reduce((n, x) => n + 1 + count(x.children), 0);
    literals += count(want);
  }
  return literals;
}

describe('Go func literals noted at index time', () => {
  let dir: string;
  let index: DefinitionIndex;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pp-funclit-'));
    writeFileSync(join(dir, 'tricky.go'), TRICKY);
    index = await DefinitionIndex.create({ roots: [dir] });
    await index.ensureBuilt();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('func types, composite literals of func values and conversions are not closures', () => {
    const types = index.definitionsIn(join(dir, 'tricky.go')).find((d) => d.name === 'Types')!;
    assert.deepEqual(index.closureSites(types), []);
  });

  test('result lists, func/struct/map/pointer-to-chan results, comments and strings in signatures and bodies', () => {
    const results = index.definitionsIn(join(dir, 'tricky.go')).find((d) => d.name === 'Results')!;
    const sites = index.closureSites(results)!;
    assert.deepEqual(
      sites.map((s) => s.line),
      ['L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7'].map((l) => expectedLines(TRICKY, new RegExp(`// ${l}$`))[0]),
    );
    assert.deepEqual(sites[1].children.map((s) => s.line), expectedLines(TRICKY, /\/\/ L2\.1$/));
  });

  test('nested literals keep their nesting; a literal in a comment is not one', () => {
    const method = index.definitionsIn(join(dir, 'tricky.go')).find((d) => d.name === 'Method')!;
    const sites = index.closureSites(method)!;
    assert.deepEqual(sites.map((s) => s.line), [...expectedLines(TRICKY, /\/\/ M1$/), ...expectedLines(TRICKY, /\/\/ M2$/)]);
    assert.deepEqual(sites[0].children[0].children.map((s) => s.line), expectedLines(TRICKY, /\/\/ M1\.1\.1$/));
  });

  test('every function of the tricky file matches tree-sitter exactly', async () => {
    const literals = await compareWithTreeSitter(index, join(dir, 'tricky.go'));
    assert.equal(literals, 13);
  });

  test('every Go fixture source matches tree-sitter exactly', async () => {
    const root = join(repoRoot(), 'test/fixtures/sources/go');
    const fixtureIndex = await DefinitionIndex.create({ roots: [root] });
    await fixtureIndex.ensureBuilt();
    const files: string[] = [];
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (name.endsWith('.go')) files.push(p);
      }
    };
    walk(root);
    assert.ok(files.length > 0);
    let literals = 0;
    for (const f of files) literals += await compareWithTreeSitter(fixtureIndex, f);
    assert.ok(literals > 0, 'the fixtures have closures');
  });

  test('the closures survive the serialised cache', async () => {
    const restored = await DefinitionIndex.create({ roots: [dir] }, JSON.parse(JSON.stringify(index.toJSON())));
    const method = restored.definitionsIn(join(dir, 'tricky.go')).find((d) => d.name === 'Method')!;
    assert.deepEqual(restored.closureSites(method), index.closureSites(method));
  });
});
