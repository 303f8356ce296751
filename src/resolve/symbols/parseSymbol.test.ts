// Symbol shapes taken verbatim from the recorded fixtures (test/fixtures/profiles) plus documented shapes
// of agents we have no recording of (Pixie's py::, V8 perf maps, JVM perf-map-agent).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSymbol, guessLanguages, withoutOffset } from './parseSymbol';
import { escapeImportPath, goClosureNumberAt, goClosureSuffixStart, parseGoSymbol } from './goSymbol';
import { parseCppSymbol, normaliseCppLambdaParam, normaliseCppParam } from './cppSymbol';
import { parseRustSymbol } from './rustSymbol';
import { parseJavaSymbol } from './javaSymbol';
import { parseNodeSymbol } from './nodeSymbol';
import { parsePythonSymbol } from './pythonSymbol';
import { stripGroups } from './parsedSymbol';
import { repoRoot } from '../../../test/support/repoRoot';

const profiles = join(repoRoot(), 'test/fixtures/profiles');
function framesOf(file: string): Set<string> {
  const out = new Set<string>();
  for (const line of readFileSync(join(profiles, file), 'utf8').split('\n')) {
    const cut = line.lastIndexOf(' ');
    if (cut > 0) for (const f of line.slice(0, cut).split(';')) out.add(f);
  }
  return out;
}

describe('Go symbols', () => {
  const frames = framesOf('go.folded');
  test('pointer receiver from the eBPF fixture', () => {
    const name = 'main.(*productCatalog).parseCatalog';
    assert.ok(frames.has(name));
    const s = parseGoSymbol(name)!;
    assert.deepEqual(s.qualifiedParts, ['main', 'productCatalog', 'parseCatalog']);
    assert.equal(s.container, 'productCatalog');
    assert.equal(s.goPackagePath, 'main');
  });
  test('import path with closure, abi0 suffix, value receiver, bpftrace offset', () => {
    assert.ok(frames.has('net/http.(*Server).Serve.func3'));
    const c = parseGoSymbol('net/http.(*Server).Serve.func3')!;
    assert.deepEqual(c.qualifiedParts, ['net/http', 'Server', 'Serve']);
    assert.deepEqual(c.closurePath, [3]);
    assert.ok(frames.has('runtime.goexit.abi0'));
    assert.deepEqual(parseGoSymbol('runtime.goexit.abi0')!.qualifiedParts, ['runtime', 'goexit']);
    assert.ok(frames.has('net/http.serverHandler.ServeHTTP'));
    const v = parseGoSymbol('net/http.serverHandler.ServeHTTP')!;
    assert.equal(v.container, 'serverHandler');
    assert.equal(v.name, 'ServeHTTP');
    assert.deepEqual(parseGoSymbol('main.(*productCatalog).readCatalogFile+113')!.name, 'readCatalogFile');
    assert.deepEqual(parseGoSymbol('github.com/org/repo/pkg.(*List[...]).Push.func1.2')!.qualifiedParts, ['github.com/org/repo/pkg', 'List', 'Push']);
    assert.deepEqual(parseGoSymbol('github.com/org/repo/pkg.(*List[...]).Push.func1.2')!.closurePath, [1, 2]);
    assert.deepEqual(parseGoSymbol('pkg.Sum[go.shape.int_0]')!.qualifiedParts, ['pkg', 'Sum']);
  });
  test('identifiers beyond ASCII (reflect/all_test.go: func (i UnExportedFirst) ΦExported())', () => {
    for (const name of ['reflect.UnExportedFirst.ΦExported', 'reflect.(*UnExportedFirst).ΦExported', 'example.com/größe.(*Tëst).Größe.func1']) {
      assert.ok(guessLanguages(name).includes('go'), name);
    }
    const m = parseGoSymbol('reflect.UnExportedFirst.ΦExported')!;
    assert.deepEqual([m.container, m.name, m.goPackagePath], ['UnExportedFirst', 'ΦExported', 'reflect']);
    const c = parseGoSymbol('example.com/größe.(*Tëst).Größe.func1')!;
    assert.deepEqual([c.container, c.name, c.closurePath], ['Tëst', 'Größe', [1]]);
  });
  test('offsets, generics and escaped import paths are recognised as Go by the language guess', () => {
    assert.equal(withoutOffset('net/http.Serve+0x1f'), 'net/http.Serve');
    assert.equal(withoutOffset('net/http.Serve+113'), 'net/http.Serve');
    assert.equal(withoutOffset('operator+'), 'operator+');
    assert.equal(withoutOffset('net/http.Serve+0X1F'), 'net/http.Serve');
    assert.equal(withoutOffset('net/http.Serve+0'), 'net/http.Serve');
    // Not offsets: no digits after 0x, hex letters without 0x, a '+' that starts the name.
    for (const name of ['net/http.Serve+0x', 'net/http.Serve+12ab', 'net/http.Serve+0xg1', '+0x1f', 'a+0y1f']) assert.equal(withoutOffset(name), name);
    assert.equal(withoutOffset('[m] libc.so + 0x1f'), '[m] libc.so + 0x1f');
    assert.equal(guessLanguages('net/http.Serve+0x1f')[0], 'go');
    assert.equal(guessLanguages('example.com/shop/net/http.Map[...]')[0], 'go');
    assert.equal(guessLanguages('gopkg.in/yaml%2ev3.Unmarshal')[0], 'go');
    // The linker names a package's several init functions init.0, init.1, ... (not closures).
    assert.equal(guessLanguages('example.com/shop/db.init.0')[0], 'go');
    assert.equal(guessLanguages('main.init.12')[0], 'go');
    assert.deepEqual([parseGoSymbol('main.init.1')!.name, parseGoSymbol('main.init.1')!.isClosure], ['init', undefined]);
    assert.equal(parseGoSymbol('gopkg.in/yaml%2ev3.(*decoder).unmarshal')!.goPackagePath, 'gopkg.in/yaml.v3');
    assert.equal(escapeImportPath('gopkg.in/yaml.v3'), 'gopkg.in/yaml%2ev3');
    assert.equal(escapeImportPath('net/http'), 'net/http');
    // As Go's objabi.PathToPrefix: '%' (and spaces, quotes, non-ASCII bytes) in every element, '.' in the last.
    assert.equal(escapeImportPath('a.b/c%41/d.e'), 'a.b/c%2541/d%2ee');
    assert.equal(escapeImportPath('x/é'), 'x/%c3%a9');
    assert.equal(parseGoSymbol('a.b/c%2541/d%2ee.F')!.goPackagePath, 'a.b/c%41/d.e');
    assert.equal(parseGoSymbol('x/%c3%a9.F')!.goPackagePath, 'x/é');
  });
  test('the token scan: wrappers, glob closures, bare numbers, ABI suffixes in any case, odd parentheses', () => {
    const shape = (n: string) => {
      const s = parseGoSymbol(n);
      return s && [s.goPackagePath, s.container, s.name, s.closurePath?.join('.')];
    };
    assert.deepEqual(shape('net/http.(*conn).serve.gowrap3'), ['net/http', 'conn', 'serve', '3']);
    assert.deepEqual(shape('main.run.deferwrap1.func2'), ['main', undefined, 'run', '1.2']);
    // `glob..func1` is a closure in a package-level var initialiser, not method func1 of type glob.
    assert.deepEqual(shape('pkg.glob..func1'), ['pkg', undefined, 'glob', '1']);
    // ...but `glob.M` is method M of a type named glob (`func (glob) M()`), as the toolchain prints it.
    assert.deepEqual(shape('pkg.glob.M.func1'), ['pkg', 'glob', 'M', '1']);
    assert.deepEqual(shape('pkg.T.M.3'), ['pkg', 'T', 'M', '3']);
    // The closure tokens at the end, found without parsing: the name before them, and their numbers.
    const suffix = (n: string) => {
      const cut = goClosureSuffixStart(n);
      if (cut < 0) return undefined;
      const numbers = n.slice(cut + 1).split('.').map((t, k, all) => {
        const start = cut + 1 + all.slice(0, k).reduce((a, x) => a + x.length + 1, 0);
        return goClosureNumberAt(n, start, start + t.length);
      });
      return [n.slice(0, cut), numbers.join('.')];
    };
    assert.deepEqual(suffix('net/http.(*conn).serve.gowrap3'), ['net/http.(*conn).serve', '3']);
    assert.deepEqual(suffix('main.run.deferwrap1.func2'), ['main.run', '1.2']);
    assert.deepEqual(suffix('pkg.(*T).M.func2.1'), ['pkg.(*T).M', '2.1']);
    assert.deepEqual(suffix('pkg.T.func3.1'), ['pkg.T', '3.1']);
    assert.deepEqual(suffix('pkg.F.funcx'), undefined);
    assert.deepEqual(suffix('pkg.F.func'), undefined);
    assert.deepEqual(suffix('pkg.F.'), undefined);
    assert.deepEqual(suffix('main.main'), undefined);
    assert.deepEqual(suffix('12'), undefined);
    // `func` without a number, `funcx1`: not closure numbers.
    assert.deepEqual(shape('pkg.F.func'), ['pkg', 'F', 'func', undefined]);
    assert.deepEqual(shape('pkg.F.func1x'), ['pkg', 'F', 'func1x', undefined]);
    assert.deepEqual(shape('pkg.F.ABI0'), ['pkg', undefined, 'F', undefined]);
    assert.deepEqual(shape('pkg.F.AbiInternal'), ['pkg', undefined, 'F', undefined]);
    assert.deepEqual(shape('pkg.F.abi1'), ['pkg', 'F', 'abi1', undefined]);
    // A dot inside parentheses does not split; a receiver must be an identifier.
    assert.deepEqual(shape('pkg.(a.b).c'), ['pkg', '(a.b)', 'c', undefined]);
    assert.deepEqual(shape('pkg.(*1T).M'), ['pkg', '(*1T)', 'M', undefined]);
    assert.equal(shape('pkg.(*T).'), undefined);
    assert.equal(shape('pkg.'), undefined);
  });
  test('stripGroups drops balanced groups; an unmatched close stays, an unclosed group goes to the end', () => {
    assert.equal(stripGroups('pkg.(*List[K, V[int]]).Push', '[', ']'), 'pkg.(*List).Push');
    assert.equal(stripGroups('a[x]b[y]c', '[', ']'), 'abc');
    assert.equal(stripGroups('a]b[c', '[', ']'), 'a]b');
    assert.equal(stripGroups('f<int>::g<std::vector<int> >', '<', '>'), 'f::g');
    assert.equal(stripGroups('plain', '[', ']'), 'plain');
  });
  test('every main.* frame in go.folded and go-perf.folded parses as Go with package main', () => {
    const all = [...frames, ...framesOf('go-perf.folded')].filter((f) => f.startsWith('main.'));
    assert.ok(all.length >= 6);
    for (const f of all) {
      assert.equal(guessLanguages(f)[0], 'go', f);
      assert.equal(parseSymbol(f)[0].goPackagePath, 'main', f);
    }
  });
});

describe('C++ symbols', () => {
  const frames = framesOf('cpp.folded');
  test('clone suffix, const, argument list', () => {
    const name = 'shop::pricing::PriceEngine::priceItem(shop::pricing::Item const&) const [clone .isra.0]';
    assert.ok(frames.has(name));
    const s = parseCppSymbol(name)!;
    assert.deepEqual(s.qualifiedParts, ['shop', 'pricing', 'PriceEngine', 'priceItem']);
    assert.deepEqual(s.params, ['shop::pricing::Item const&']);
    assert.equal(normaliseCppParam(s.params![0]), 'Item&');
    assert.equal(normaliseCppParam('const Item&'), 'Item&');
  });
  test('abi tag and template function with return type', () => {
    assert.ok(frames.has('shop::pricing::PriceEngine::computeTotals[abi:cxx11](int) const'));
    const s = parseCppSymbol('shop::pricing::PriceEngine::computeTotals[abi:cxx11](int) const')!;
    assert.deepEqual(s.qualifiedParts, ['shop', 'pricing', 'PriceEngine', 'computeTotals']);
    assert.deepEqual(s.params, ['int']);
    // cpp-perf.folded spells the template without arguments; the mangled form carries the return type.
    assert.ok(framesOf('cpp-perf.folded').has('sumValues<double>'));
    assert.deepEqual(parseCppSymbol('sumValues<double>')!.qualifiedParts, ['sumValues']);
    const mangled = parseCppSymbol('_Z9sumValuesIdEdRKSt3mapINSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEEET_St4lessIS6_ESaISt4pairIKS6_S7_EEE')!;
    assert.deepEqual(mangled.qualifiedParts, ['sumValues']);
    assert.equal(mangled.params!.length, 1);
  });
  test('mangled names demangle; operators; lambdas; std templates', () => {
    const s = parseCppSymbol('_ZNK4shop7pricing11PriceEngine11discountForEi')!;
    assert.deepEqual(s.qualifiedParts, ['shop', 'pricing', 'PriceEngine', 'discountFor']);
    assert.deepEqual(s.params, ['int']);
    assert.deepEqual(parseCppSymbol('operator new(unsigned long)')!.qualifiedParts, ['operator new']);
    assert.deepEqual(parseCppSymbol('Foo::operator()(int) const')!.qualifiedParts, ['Foo', 'operator()']);
    const l = parseCppSymbol('shop::run(int)::{lambda(int)#1}::operator()(int) const')!;
    assert.deepEqual(l.qualifiedParts, ['shop', 'run']);
    assert.equal(l.isClosure, true);
    const rb = [...frames].find((f) => f.includes('_M_get_insert_hint_unique_pos'))!;
    assert.deepEqual(parseCppSymbol(rb)!.qualifiedParts, ['std', '_Rb_tree', '_M_get_insert_hint_unique_pos']);
    assert.deepEqual(parseCppSymbol('(anonymous namespace)::helper(int)')!.qualifiedParts, ['(anonymous namespace)', 'helper']);
  });
});

describe('C++ lambda levels (g++ 12 and clang 14 symbols of test/fixtures/closures/cpp/lambdas.cpp)', () => {
  const recorded = readFileSync(join(repoRoot(), 'test/fixtures/closures/cpp/symbols.tsv'), 'utf8');
  const real = (name: string) => {
    assert.ok(recorded.includes(`\t${name}\n`) || recorded.includes(`\t${name}\t`), `${name} was emitted`);
    return parseCppSymbol(name)!;
  };
  test('each level keeps its normalised parameter types and N; the function keeps its own name', () => {
    const twice = real('shop::Report::build(int)::{lambda(int const&)#3}::operator()(int const&) const');
    assert.deepEqual(twice.qualifiedParts, ['shop', 'Report', 'build']);
    assert.equal(twice.isClosure, true);
    assert.deepEqual(twice.cppLambdas, [{ params: ['int&'], n: 3 }]);
    assert.deepEqual(real('shop::Report::build(int)::{lambda()#2}::operator()() const').cppLambdas, [{ params: [], n: 2 }]);
    assert.deepEqual(real('_ZZN4shop6Report5buildEiENKUlRKiE0_clES2_').cppLambdas, [{ params: ['int&'], n: 2 }], 'mangled (clang)');
  });
  test('nested lambdas: one level per lambda, outermost first, numbered inside the enclosing one', () => {
    const inner = real('shop::Report::build(int)::{lambda(long)#4}::operator()(long) const::{lambda(int)#2}::operator()(int) const');
    assert.deepEqual(inner.qualifiedParts, ['shop', 'Report', 'build']);
    assert.deepEqual(inner.cppLambdas, [{ params: ['long'], n: 4 }, { params: ['int'], n: 2 }]);
    assert.deepEqual(real('_ZZZN4shop6Report5buildEiENKUllE_clElENKUlvE_clEv').cppLambdas, [{ params: ['long'], n: 1 }, { params: [], n: 1 }]);
  });
  test('generic and std::string parameters compare as the source spells them', () => {
    const generic = real('auto shop::Report::build(int)::{lambda(auto:1)#6}::operator()<int>(int) const');
    assert.deepEqual(generic.qualifiedParts, ['shop', 'Report', 'build']);
    assert.deepEqual(generic.cppLambdas, [{ params: ['auto'], n: 6 }]);
    const text = 'shop::Report::build(int)::{lambda(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&)#5}::operator()(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&) const';
    assert.deepEqual(real(text).cppLambdas, [{ params: ['basic_string&'], n: 5 }]);
    // Source-side types as lambdaParamTypes passes them (type and & / *, no parameter name).
    assert.equal(normaliseCppLambdaParam('const std::string&'), 'basic_string&');
    assert.equal(normaliseCppLambdaParam('auto:2&&'), normaliseCppLambdaParam('auto&&'));
    assert.equal(normaliseCppLambdaParam('std::uint64_t'), 'unsigned long');
    assert.equal(normaliseCppLambdaParam('long int'), 'long');
  });
  test('a level that is not a plain lambda leaves the numbers out (the old one-closure rule applies)', () => {
    const unnamed = parseCppSymbol('f()::{unnamed type#1}::operator()(int) const')!;
    assert.equal(unnamed.isClosure, true);
    assert.equal(unnamed.cppLambdas, undefined);
    assert.equal(parseCppSymbol('f()::{lambda()#1}::operator()() const::{unnamed type#1}::g()')!.cppLambdas, undefined);
    assert.equal(parseCppSymbol('shop::run(int)')!.cppLambdas, undefined);
  });
});

describe('Rust symbols', () => {
  const frames = framesOf('rust.folded');
  test('legacy hash with crate name before module path', () => {
    const name = 'ledger::ledger::accounts::Ledger::checksum::h3e100643e21cb24a';
    assert.ok(frames.has(name));
    assert.deepEqual(guessLanguages(name)[0], 'rust');
    const s = parseRustSymbol(name)!;
    assert.deepEqual(s.qualifiedParts, ['ledger', 'ledger', 'accounts', 'Ledger', 'checksum']);
    assert.equal(s.container, 'Ledger');
  });
  test('$-escapes, trait impls, closures, v0', () => {
    const esc = '_$LT$core..hash..sip..Hasher$LT$S$GT$$u20$as$u20$core..hash..Hasher$GT$::write::hdcd78ade7906fdf8';
    assert.ok(frames.has(esc));
    const t = parseRustSymbol(esc)!;
    assert.deepEqual(t.qualifiedParts, ['core', 'hash', 'sip', 'Hasher', 'write']);
    assert.equal(t.trait, 'Hasher');
    const clo = 'std::rt::lang_start::_$u7b$$u7b$closure$u7d$$u7d$::hf73ec453c045aa2a';
    assert.ok(frames.has(clo));
    const c = parseRustSymbol(clo)!;
    assert.deepEqual(c.qualifiedParts, ['std', 'rt', 'lang_start']);
    assert.equal(c.isClosure, true);
    const v0 = '_RNvXs4_NtCslNYArtu3iFV_5alloc6stringNtB5_6StringNtNtCsgEmfK2I1SDS_4core5clone5Clone5clone';
    assert.ok(frames.has(v0));
    const v = parseSymbol(v0)[0];
    assert.equal(v.language, 'rust');
    assert.deepEqual(v.qualifiedParts, ['alloc', 'string', 'String', 'clone']);
    assert.equal(v.trait, 'Clone');
    const mangled = '_ZN9hashbrown3raw21RawTable$LT$T$C$A$GT$14reserve_rehash17h63f893152c1d2249E.llvm.10275638566031064943';
    assert.ok(frames.has(mangled));
    assert.deepEqual(parseRustSymbol(mangled)!.qualifiedParts, ['hashbrown', 'raw', 'RawTable', 'reserve_rehash']);
  });
  test('perf-demangled spellings from rust-perf.folded', () => {
    const frames2 = framesOf('rust-perf.folded');
    assert.ok(frames2.has('<alloc::string::String as core::clone::Clone>::clone'));
    assert.deepEqual(parseSymbol('<alloc::string::String as core::clone::Clone>::clone')[0].qualifiedParts, ['alloc', 'string', 'String', 'clone']);
    assert.ok(frames2.has('hashbrown::raw::RawTable<T,A>::reserve_rehash'));
    assert.deepEqual(parseRustSymbol('hashbrown::raw::RawTable<T,A>::reserve_rehash')!.qualifiedParts, ['hashbrown', 'raw', 'RawTable', 'reserve_rehash']);
    assert.equal(parseRustSymbol('std::rt::lang_start::{{closure}}')!.isClosure, true);
  });
});

describe('Java, Node and Python symbols', () => {
  test('Java dotted, inner classes, lambdas, JVM descriptor style', () => {
    const s = parseSymbol('com.example.orders.OrderProcessor.aggregateByCustomer')[0];
    assert.equal(s.language, 'java');
    assert.deepEqual(s.qualifiedParts, ['com', 'example', 'orders', 'OrderProcessor', 'aggregateByCustomer']);
    assert.deepEqual(parseJavaSymbol('com.example.Outer$Inner.run')!.qualifiedParts, ['com', 'example', 'Outer', 'Inner', 'run']);
    const l = parseJavaSymbol('com.example.App.lambda$main$0')!;
    assert.equal(l.name, 'main');
    assert.equal(l.isClosure, true);
    assert.deepEqual(parseJavaSymbol('Lcom/example/Foo;.bar')!.qualifiedParts, ['com', 'example', 'Foo', 'bar']);
    assert.deepEqual(parseJavaSymbol('[j] com/example/App$$Lambda$14/0x0000000800c03000.run')!.qualifiedParts.slice(0, 3), ['com', 'example', 'App']);
    assert.equal(parseJavaSymbol('com.example.App.<init>')!.name, 'App');
  });
  test('Node tier prefixes with file:line:col', () => {
    const s = parseNodeSymbol('JS:*formatRow /app/report.js:12:12')!;
    assert.equal(s.name, 'formatRow');
    assert.equal(s.pathHint, '/app/report.js');
    assert.equal(s.lineHint, 12);
    assert.equal(s.columnHint, 12);
    assert.equal(parseNodeSymbol('LazyCompile:~Report.render file:///app/report.mjs:30:9')!.container, 'Report');
    assert.equal(parseNodeSymbol('JS:^ /app/server.js:5:20')!.name, '');
    assert.equal(guessLanguages('JS:~formatRow /app/report.js:12:12')[0], 'node');
  });
  test('Python py:: and py-spy shapes', () => {
    const s = parsePythonSymbol('py::RiskScorer.score_record:/app/scorer.py')!;
    assert.deepEqual(s.qualifiedParts, ['RiskScorer', 'score_record']);
    assert.equal(s.pathHint, '/app/scorer.py');
    const spy = parsePythonSymbol('score_record (/app/scorer.py:42)')!;
    assert.equal(spy.lineHint, 42);
    assert.equal(guessLanguages('py::main:/app/main.py')[0], 'python');
  });
});
