// Which lambda a C++ `{lambda(<params>)#N}` names among those written directly in one function (or lambda).
// Compilers number them two ways (test/fixtures/closures/cpp/symbols.tsv has both, really emitted):
//   g++ up to 12 (-fabi-version <= 17): N counts every lambda of the context, whatever its parameters;
//   g++ 13+ and clang (Itanium ABI 5.1.8): N counts only the lambdas with the same parameter types.
// clang's `$_N` (lambdas in functions that are not inline) carry no such number: only a signature that one
// lambda of the function has places them.
// A profile does not say which compiler built the program, so a site is taken only when the numberings
// that can explain the name agree on it.
import type { ClosureSite } from './definitions/definition';
import type { CppLambda } from './symbols/parsedSymbol';

/**
 * The site among `level` (source order) that `lambda` names, or undefined when not sure: a site's
 * parameters unknown, no numbering fits, or the two fit different sites.
 */
export function cppLambdaSite(level: readonly ClosureSite[], lambda: CppLambda): ClosureSite | undefined {
  if (level.some((site) => site.params === undefined)) return undefined;
  const sameSignature = (site: ClosureSite) => sameParams(site.params!, lambda.params);
  // clang's `$_N` (no number to read): the one lambda of that signature, if only one has it.
  if (lambda.n === 0) {
    const matching = level.filter(sameSignature);
    return matching.length === 1 ? matching[0] : undefined;
  }
  // g++ <= 12: the N-th of all, if its parameters are the name's.
  const nth = level[lambda.n - 1];
  const byPosition = nth && sameSignature(nth) ? nth : undefined;
  // ABI: the N-th of those with the name's parameters.
  const bySignature = level.filter(sameSignature)[lambda.n - 1];
  if (byPosition && bySignature && byPosition !== bySignature) return undefined;
  return byPosition ?? bySignature;
}

function sameParams(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((p, i) => p === b[i]);
}
