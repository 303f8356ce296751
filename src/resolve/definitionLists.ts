// Definitions kept in lists under a key (a name, a Go symbol's receiver and package tail), in index order.

import type { Definition } from './definitions/definition';

/** Appends `d` to the list of `key`. */
export function addDefinition(map: Map<string, Definition[]>, key: string, d: Definition): void {
  const list = map.get(key);
  if (list) list.push(d);
  else map.set(key, [d]);
}

/** Takes the definitions of file `path` out of the list of `key` (a new list, so order is kept), and the list once empty. */
export function removeDefinitionsOf(map: Map<string, Definition[]>, key: string, path: string): void {
  const list = map.get(key);
  if (!list) return;
  const kept = list.filter((x) => x.file !== path);
  if (kept.length > 0) map.set(key, kept);
  else map.delete(key);
}
