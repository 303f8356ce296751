// Ground truth from a binary built here: its symbols in address order, mangled and demangled by nm, each
// with the source line DWARF gives its address (addr2line). Tests compare the resolver's answers with it.
import { spawnSync } from 'node:child_process';

export interface BinarySymbol {
  readonly mangled: string;
  readonly demangled: string;
  readonly line: number;
}

/**
 * The symbols of `bin` whose demangled name matches `ours`, with their DWARF lines; a string saying why not
 * when nm or addr2line is missing or nothing matches (the test skips with it).
 */
export function symbolsWithLines(bin: string, ours: RegExp): BinarySymbol[] | string {
  const nm = spawnSync('nm', ['-n', bin], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  const nmC = spawnSync('nm', ['-n', '-C', bin], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (nm.status !== 0 || nmC.status !== 0) return 'nm not available';
  // Same order in both listings: line i is the same address.
  const demangled = nmC.stdout.split('\n');
  const found = nm.stdout
    .split('\n')
    .map((l, i) => [...l.split(' '), demangled[i]?.split(' ').slice(2).join(' ') ?? ''])
    .filter((f) => f.length === 4 && ours.test(f[3]));
  if (found.length === 0) return `no symbol of ${bin} matches ${ours}`;
  const lines = spawnSync('addr2line', ['-e', bin, ...found.map((f) => `0x${f[0]}`)], { encoding: 'utf8' });
  if (lines.status !== 0) return 'addr2line not available';
  const truth = lines.stdout.trim().split('\n').map((l) => Number(l.slice(l.lastIndexOf(':') + 1)));
  return found.map((f, i) => ({ mangled: f[2], demangled: f[3], line: truth[i] }));
}
