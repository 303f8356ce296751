// Body elision is only a speed-up: parsing the elided text must give exactly the definitions (names, parts,
// lines, end lines) a parse of the whole file gives, on tricky shapes, the Go fixtures and a sample of the
// Go standard library (when Go is installed, as CI installs it).
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { elideGoBodies } from './goBodyElision';
import { extractGo } from './goDefinitions';
import { TreeSitterHost, type TsParser } from './treeSitter';
import { repoRoot } from '../../../test/support/repoRoot';

const TRICKY = `// Package tricky has braces where a scanner could trip.
package tricky

import (
	"fmt"
	"strings"
)

const (
	open  = "{"
	close = '}'
	raw   = \`}
{{\`
)

var (
	table = map[string]func() int{"a": func() int { return 1 }}
	x, y  = 1, 2
)

var single = struct{ a, b int }{1, 2}

type Pair[K comparable, V any] struct {
	Key K
	Val V // } in a comment
}

type Shape interface {
	Area() float64
	/* { */ Perimeter() float64
}

/* A block comment
   with a brace } and a func F() {} inside */
func Plain(s string) string {
	if strings.Contains(s, "}") {
		return "{" + s + \`
}\`
	}
	r := '{'
	_ = r
	return fmt.Sprint(func() string { return "}" }())
}

func (p *Pair[K, V]) Swap() (V, K) { return p.Val, p.Key }

func (p Pair[K, V]) String() string {
	// }}}
	return fmt.Sprintf("%v=%v", p.Key, p.Val)
}

func Generic[T any, S ~[]T](s S) (out []T) {
	for _, v := range s {
		out = append(out, v)
	}
	return
}

func Unterminated() {
	s := "no closing quote
	_ = s
}

func After() {}
`;

function goFilesUnder(dir: string, every: number): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) {
        if (name !== 'testdata') walk(p);
      } else if (name.endsWith('.go')) out.push(p);
    }
  };
  walk(dir);
  return out.filter((_, i) => i % every === 0);
}

function goStdlib(): string | undefined {
  try {
    const src = join(execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim(), 'src');
    return existsSync(src) ? src : undefined;
  } catch {
    return undefined;
  }
}

describe('Go body elision', () => {
  let parser: TsParser;
  before(async () => {
    const host = await TreeSitterHost.create();
    await host.load('go');
    parser = host.parser('go')!;
  });

  /** Definitions of `text` parsed whole and elided: must be equal; the elided text keeps every line. */
  function check(text: string, file: string): number {
    const full = parser.parse(text)!;
    const elided = elideGoBodies(text);
    const short = parser.parse(elided)!;
    try {
      assert.equal(elided.split('\n').length, text.split('\n').length, `${file}: same number of lines`);
      const want = extractGo(full.rootNode, { file, goImportPath: 'example.com/p' });
      assert.deepEqual(extractGo(short.rootNode, { file, goImportPath: 'example.com/p' }), want, file);
      return want.length;
    } finally {
      full.delete();
      short.delete();
    }
  }

  test('braces in strings, raw strings, runes and comments; groups; generics; an unterminated string', () => {
    assert.equal(check(TRICKY, 'tricky.go'), 6);
    // The bodies really are gone (else the test above proves nothing about elision).
    const elided = elideGoBodies(TRICKY);
    assert.ok(!elided.includes('strings.Contains') && !elided.includes('append(out'), elided);
    assert.ok(elided.includes('func Generic[T any, S ~[]T](s S) (out []T) {'), elided);
  });

  test('the Go fixture sources', () => {
    const files = goFilesUnder(join(repoRoot(), 'test/fixtures/sources/go'), 1);
    assert.ok(files.length > 0);
    let defs = 0;
    for (const f of files) defs += check(readFileSync(f, 'utf8'), f);
    assert.ok(defs >= 5, `${defs} definitions`);
  });

  test('every 25th file of the Go standard library', { skip: goStdlib() ? false : 'Go is not installed' }, () => {
    const files = goFilesUnder(goStdlib()!, 25);
    let defs = 0;
    for (const f of files) defs += check(readFileSync(f, 'utf8'), f);
    assert.ok(files.length > 100 && defs > 1000, `${files.length} files, ${defs} definitions`);
  });
});
