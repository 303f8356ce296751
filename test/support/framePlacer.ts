// Where name-only user frames land in a fixture tree: the resolver tests' common question.
import assert from 'node:assert/strict';
import { DefinitionIndex } from '../../src/resolve/definitionIndex';
import { createNameResolver } from '../../src/resolve/nameResolver';

/** [path, line, functionLine] of the place a frame lands on. */
export type Placement = Array<string | number | undefined>;
export type Placer = (name: string) => Placement;

/** Indexes `root` and answers where each name lands, asserting that it resolved (no reason given). */
export async function framePlacer(root: string): Promise<Placer> {
  const index = await DefinitionIndex.create({ roots: [root] });
  await index.ensureBuilt();
  const resolver = createNameResolver(index);
  return (name) => {
    const r = resolver.resolve({ name, kind: 'user' });
    assert.equal(r.reason, undefined, name);
    return [r.location?.path, r.location?.line, r.location?.functionLine];
  };
}
