// .tsx files are parsed with the TSX grammar @vscode/tree-sitter-wasm ships: the TypeScript grammar cannot
// parse JSX, and the definitions after the first JSX expression came out missing or misplaced. Expected lines
// come from plain regexes over the file text.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefinitionIndex } from './definitionIndex';
import { createNameResolver } from './nameResolver';

const TSX = `import React from 'react';

export function Header({ title }: { title: string }) {
  return <h1 className="title">{title}</h1>;
}

const Row = ({ cells }: { cells: string[] }) => (
  <tr>
    {cells.map((c) => (
      <td key={c}>{c}</td>
    ))}
  </tr>
);

export class Table extends React.Component<{ rows: string[][] }> {
  render() {
    return <table>{this.props.rows.map((r, i) => <Row key={i} cells={r} />)}</table>;
  }
}

function formatCell<T>(value: T): string {
  return String(value) as string;
}
`;

/** 1-based line of the first line of TSX matching `re`. */
const lineOf = (re: RegExp) => TSX.split('\n').findIndex((l) => re.test(l)) + 1;

describe('TSX files', () => {
  let dir: string;
  let index: DefinitionIndex;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pp-tsx-'));
    writeFileSync(join(dir, 'Table.tsx'), TSX);
    // The same text without JSX in a .ts file still goes through the TypeScript grammar (`<T>x` casts).
    writeFileSync(join(dir, 'cast.ts'), 'function cast(x: unknown) {\n  return <string>x;\n}\n');
    index = await DefinitionIndex.create({ roots: [dir] });
    await index.ensureBuilt();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('every function, arrow function and method of a .tsx file is found at its line', () => {
    const defs = index.definitionsIn(join(dir, 'Table.tsx')).map((d) => [d.name, d.line]);
    assert.deepEqual(
      defs.sort((a, b) => Number(a[1]) - Number(b[1])),
      [
        ['Header', lineOf(/^export function Header/)],
        ['Row', lineOf(/^const Row =/)],
        ['render', lineOf(/^ {2}render\(\)/)],
        ['formatCell', lineOf(/^function formatCell/)],
      ],
    );
    assert.deepEqual(index.definitionsIn(join(dir, 'cast.ts')).map((d) => [d.name, d.line]), [['cast', 1]]);
  });

  test('a V8 frame in the .tsx file resolves to the definition after the JSX', () => {
    const r = createNameResolver(index).resolve({ name: `JS:*formatCell /app/src/Table.tsx:${lineOf(/^function formatCell/) + 1}:10`, kind: 'user' });
    assert.equal(r.reason, undefined);
    assert.deepEqual([r.location?.path, r.location?.line], [join(dir, 'Table.tsx'), lineOf(/^function formatCell/)]);
  });
});
