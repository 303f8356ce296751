import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyFrame, rustV0Crate } from './frameKind';
import type { FrameKind } from './profile';

// Real names from test/fixtures/profiles (Go, C++, Rust via BCC, perf and pprof) plus other runtimes.
const cases: Array<[string, FrameKind, string?]> = [
  // Go
  ['main.(*productCatalog).readCatalogFile', 'user'],
  ['main.(*productCatalog).parseCatalog', 'user'],
  ['github.com/acme/shop/catalog.(*Store).Load', 'user'],
  ['catalog/internal/store.Load', 'user'], // module without a dot in its name
  ['runtime.mallocgc', 'runtime'],
  ['runtime.goexit.abi0', 'runtime'],
  ['runtime/internal/syscall.Syscall6', 'runtime'],
  ['syscall.RawSyscall6', 'runtime'],
  ['encoding/json.(*decodeState).object', 'runtime'],
  ['net/http.(*conn).serve', 'runtime'],
  ['internal/poll.(*FD).Read', 'runtime'],
  ['sync.(*Map).Load', 'runtime'],
  ['type..eq.main.product', 'runtime'],
  ['type:.eq.main.product', 'runtime'], // Go 1.20+
  ['type:.hash.[2]interface {}', 'runtime'],
  ['memeqbody', 'runtime', '/usr/lib/go-1.19/src/internal/bytealg/equal_amd64.s'],
  ['main.(*productCatalog).ServeHTTP', 'user', '/tmp/prof-lab/src/go/main.go'],
  // C / C++
  ['__libc_start_call_main', 'runtime'],
  ['main', 'user'],
  ['_int_malloc', 'runtime'],
  ['malloc_consolidate', 'runtime'],
  ['unlink_chunk.constprop.0', 'runtime'],
  ['cfree@GLIBC_2.2.5', 'runtime'],
  ['memcmp@plt', 'runtime'],
  ['__memcmp_evex_movbe', 'runtime'],
  ['operator new(unsigned long)', 'runtime'],
  ['std::_Rb_tree_increment(std::_Rb_tree_node_base const*)', 'runtime'],
  ['__gnu_cxx::__normal_iterator<int*, std::vector<int> >::operator++()', 'runtime'],
  ['_ZNSt8_Rb_treeIiSt4pairIKiiESt10_Select1stIS2_ESt4lessIiESaIS2_EE8_M_eraseEPSt13_Rb_tree_nodeIS2_E', 'runtime'],
  ['shop::pricing::PriceEngine::discountFor(int) const [clone .isra.0]', 'user'],
  ['shop::pricing::PriceEngine::computeTotals[abi:cxx11](int) const', 'user'],
  ['sumValues<double>', 'user'],
  // Rust
  ['ledger::ledger::accounts::Ledger::balances::h53f25340b54ec1df', 'user'],
  ['std::rt::lang_start::_$u7b$$u7b$closure$u7d$$u7d$::hf73ec453c045aa2a', 'runtime'],
  ['_RNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal', 'runtime'],
  ['_RNvXs4_NtCslNYArtu3iFV_5alloc6stringNtB5_6StringNtNtCsgEmfK2I1SDS_4core5clone5Clone5clone', 'runtime'],
  ['_RNvCsfLfy6EI15iL_7___rustc12___rust_alloc', 'runtime'],
  ['<alloc::string::String as core::clone::Clone>::clone', 'runtime'],
  ['_$LT$core..hash..sip..Hasher$LT$S$GT$$u20$as$u20$core..hash..Hasher$GT$::write::hdcd78ade7', 'runtime'],
  ['core::hash::BuildHasher::hash_one', 'runtime'],
  ['__rustc::__rust_dealloc', 'runtime'],
  // Java, Node, Python
  ['java.util.HashMap.get', 'runtime'],
  ['jdk.internal.misc.Unsafe.park', 'runtime'],
  ['com.acme.Catalog.load', 'user'],
  ['processTicksAndRejections', 'runtime', 'node:internal/process/task_queues'],
  ['handler', 'user', '/app/server.js'],
  ['_find_and_load (<frozen importlib._bootstrap>:1007)', 'runtime'],
  ['decode', 'runtime', '/usr/lib/python3.11/json/decoder.py'],
  ['get', 'user', '/usr/lib/python3.11/site-packages/requests/api.py'],
  // markers and unknowns
  ['do_syscall_64_[k]', 'kernel'],
  ['[k] do_syscall_64', 'kernel'],
  ['[j] java.util.HashMap.get', 'java'],
  ['Interpreter_[j]', 'java'],
  ['[unknown]', 'unknown'],
  ['[Missed User Stack]', 'unknown'],
  ['0x7fcae48ede58', 'unknown'],
  ['<stack trace lost>', 'unknown'],
  ['/lib/x86_64-linux-gnu/libc.so.6 + 0x12', 'unknown'],
  ['pod:shop/catalog-7d9', 'k8s'],
  ['pod: catalog-7d9f8-abcde', 'k8s'],
  ['node: node-a1', 'k8s'],
  ['namespace:shop', 'k8s'],
];

for (const [name, kind, file] of cases) {
  test(`${name}${file ? ` @ ${file}` : ''} -> ${kind}`, () => {
    assert.equal(classifyFrame({ name, file }), kind);
  });
}

test('an explicit kind wins', () => {
  assert.equal(classifyFrame({ name: 'runtime.mallocgc', kind: 'user' }), 'user');
});

test('rustV0Crate', () => {
  assert.equal(rustV0Crate('_RNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal'), 'std');
  assert.equal(rustV0Crate('_RNvCs1234_6ledger4main'), 'ledger');
});
