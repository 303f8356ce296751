// Decides how a frame is coloured and whether resolution should look for it in the workspace:
// every format passes this to ProfileBuilder. Markers a profiler put on the frame win; otherwise the
// name (and for Python/Node the file) tells runtime/stdlib code from application code. When in doubt the
// answer is 'user': a user frame that finds no source is listed as unmatched, a runtime frame is hidden.

import type { FrameInput, FrameKind } from './profile';

export function classifyFrame(f: FrameInput): FrameKind {
  if (f.kind) return f.kind;
  const name = f.name;
  const marked = markerKind(name);
  if (marked) return marked;
  if (isUnknownName(name)) return 'unknown';
  if (K8S_CONTEXT.test(name)) return 'k8s';
  if (isRuntimeName(name) || (f.file !== undefined && isRuntimeFile(f.file))) return 'runtime';
  return 'user';
}

/** Pixie's `[k] ` / `[j] ` prefixes and BCC/perf's `_[k]` / `_[j]` suffixes, left on a raw name. */
function markerKind(name: string): FrameKind | undefined {
  if (name.startsWith('[k] ') || name.endsWith('_[k]')) return 'kernel';
  if (name.startsWith('[j] ') || name.endsWith('_[j]')) return 'java';
  if (name.startsWith('[m] ')) return 'unknown';
  return undefined;
}

/** Frames a profiler could not symbolize: `[unknown]`, a bare address, Pixie's lost-stack marker. */
export function isUnknownName(name: string): boolean {
  return (
    name === '' ||
    name === '[unknown]' ||
    name === '<stack trace lost>' ||
    /^\[[^\]]*\]$/.test(name) || // [unknown], BCC's [Missed User Stack], perf's [vdso]
    / \+ 0x[0-9a-f]+$/i.test(name) || // Pixie's `[m] /lib/x.so + 0x12` once the marker is stripped
    /^0x[0-9a-f]+$/i.test(name) ||
    /^[0-9a-f]{12,16}$/i.test(name)
  );
}

// Context frames Pixie's UI (and our Pixie agent) prepends: node:, namespace:, pod:, container:, pid:.
const K8S_CONTEXT = /^(node|namespace|pod|container|pid): ?\S/;

// Top-level directories of Go's standard library (GOROOT/src), plus the compiler's `type..` and `go.`
// symbols. A Go frame whose import path starts with one of these is runtime/stdlib; `main.` and module
// paths (github.com/..., example.com/...) are user code. An allowlist rather than "no dot in the first
// path element", because a module may be named `catalog/internal/...` without a dot.
const GO_STD = new Set(
  ('archive bufio builtin bytes cmp compress container context crypto database debug embed encoding errors ' +
    'expvar flag fmt go hash html image index internal io iter log maps math mime net os path plugin reflect ' +
    'regexp runtime slices sort strconv strings structs sync syscall testing text time unicode unique unsafe ' +
    'vendor weak type')
    .split(' '),
);
// GCC's clone suffixes look like Go's `pkg.Func`: `finish_task_switch.isra.0`, `foo.constprop.1`, `bar.cold`.
const GCC_CLONE = /\.(isra|constprop|part|cold|lto_priv|localalias|clone)(\.|$)/;

// Rust crates that ship with the toolchain (legacy and v0 mangling, and demangled `std::`/`<core::..>`).
const RUST_STD_CRATES = new Set(['std', 'core', 'alloc', 'compiler_builtins', 'panic_unwind', 'panic_abort', 'std_detect', 'proc_macro', 'test']);

// glibc / allocator / libstdc++ entry points that carry no namespace.
const C_RUNTIME = new Set(
  ('_start start_thread clone clone3 malloc free cfree calloc realloc reallocarray posix_memalign ' +
    'aligned_alloc memalign valloc _int_malloc _int_free _int_realloc _int_memalign malloc_consolidate sysmalloc ' +
    'unlink_chunk tcache_get tcache_put memcpy memmove memset memcmp bcmp strlen strnlen strcmp strncmp strchr ' +
    'strrchr strcpy strncpy strdup qsort bsearch abort exit raise pthread_create pthread_mutex_lock ' +
    'pthread_mutex_unlock pthread_cond_wait pthread_cond_signal pthread_once dl_iterate_phdr _dl_start _dl_runtime_resolve ' +
    'read write open close poll epoll_wait nanosleep usleep sched_yield futex syscall ' +
    // Go runtime assembly without a package prefix
    'memeqbody indexbytebody cmpbody countbody aeshashbody gcWriteBarrier gogo gosave_systemstack_switch')
    .split(' '),
);

// Java platform packages (dotted JFR/async-profiler style or slashed JVM style).
const JAVA_STD = /^(java|javax|jdk|sun|com\.sun|com\/sun)[./]/;

export function isRuntimeName(rawName: string): boolean {
  // `<alloc::string::String as core::clone::Clone>::clone`: the type being implemented decides.
  // Legacy Rust mangling writes '<' as `_$LT$`.
  const name = rawName.startsWith('<') ? rawName.slice(1) : rawName.startsWith('_$LT$') ? rawName.slice(5).replace(/\.\./g, '::') : rawName;

  // ---- C, C++, Rust (`::` paths and linker-level names) ----
  if (name.startsWith('__') || name.startsWith('_GLOBAL__')) return true; // reserved for the implementation
  if (name.includes('@plt') || name.includes('@GLIBC') || name.includes('@@')) return true;
  if (name.startsWith('operator new') || name.startsWith('operator delete')) return true;
  const colon = name.indexOf('::');
  if (colon > 0) {
    const head = name.slice(0, colon);
    if (head === 'std' || head === '__gnu_cxx' || head === '__cxxabiv1' || head === 'v8' || head === 'node') return true;
    if (RUST_STD_CRATES.has(head)) return true;
    return false; // a namespaced user function, e.g. shop::pricing::PriceEngine::discountFor
  }
  if (name.startsWith('_R')) {
    const crate = rustV0Crate(name);
    return crate !== undefined && (RUST_STD_CRATES.has(crate) || crate.startsWith('_')); // ___rustc: allocator shims
  }
  if (name.startsWith('_ZNSt') || name.startsWith('_ZSt') || name.startsWith('_ZN9__gnu_cxx') || /^_Z(nw|na|dl|da)/.test(name)) {
    return true; // mangled std:: names and operator new/delete
  }
  if (/^_Z/.test(name)) return false;
  if (/^_[A-Z]/.test(name)) return true; // reserved identifiers: _IO_file_xsputn, _Unwind_Backtrace
  // `unlink_chunk.constprop.0`, `foo(int) [clone .isra.0]` -> the plain function name.
  const bare = name.replace(/\(.*$/, '').replace(/\.(isra|constprop|part|cold|lto_priv)(\.\d+)*$/, '').trim();
  if (C_RUNTIME.has(bare)) return true;
  if (/^(__)?(mem|str)(cpy|move|set|cmp|len|chr)_/.test(bare)) return true; // memcpy_avx_unaligned, ...

  // ---- Java ----
  if (JAVA_STD.test(name)) return true;

  // ---- Node.js / V8 ----
  if (name.startsWith('node:') || name.includes('(node:') || name.startsWith('Builtins_') || name.startsWith('Builtin:')) return true;

  // ---- Python (py-spy / austin style "func (file.py:12)") ----
  if (name.includes('<frozen ') || PYTHON_STDLIB_PATH.test(name)) return true;

  // ---- Go: the compiler's equality and hash functions, `type:.eq.main.T` since Go 1.20 (`type..eq.main.T`
  // before, read below as import path `type`) ----
  if (name.startsWith('type:.')) return true;

  // ---- Go: import path up to the first '.' after the last '/' ----
  if (!GCC_CLONE.test(name)) {
    const goPkgEnd = goPackageEnd(name);
    if (goPkgEnd > 0) {
      const pkg = name.slice(0, goPkgEnd);
      const first = pkg.split('/')[0];
      if (GO_STD.has(first)) return true;
    }
  }
  return false;
}

/** End of the Go import path in `net/http.(*conn).serve` (index of the '.' after `net/http`), or -1. */
function goPackageEnd(name: string): number {
  const paren = name.indexOf('(');
  const head = paren >= 0 ? name.slice(0, paren) : name;
  const slash = head.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  if (dot <= 0) return -1;
  // An import path is lower-case words, digits, '_', '-', '.', '/': rejects "Foo.bar" Java classes, C++.
  return /^[a-z0-9_][a-z0-9_./-]*$/.test(name.slice(0, dot)) ? dot : -1;
}

/** First crate name in a Rust v0 symbol: `_RNvNtCsjrHSEGnQ3l9_3std2rt19lang_start_internal` -> "std". */
export function rustV0Crate(symbol: string): string | undefined {
  const m = /C(?:s[0-9A-Za-z]*_)?(\d+)([A-Za-z_][A-Za-z0-9_]*)/.exec(symbol);
  if (!m) return undefined;
  return m[2].slice(0, Number(m[1]));
}

const PYTHON_STDLIB_PATH = /\/lib\/python\d+(\.\d+)?\/(?!(site|dist)-packages\/)/;

// A Go source file inside GOROOT: `/usr/lib/go-1.19/src/internal/bytealg/equal_amd64.s` (assembly
// functions like memeqbody carry no package in their name). GOPATH user code sits under src/<host>/.
// The directory holding src/ must be a Go install (go, go-1.19, goroot), or /app/src/go/main.go would match.
const GOROOT_FILE = /\/go(-[\d.]+|root)?\/src\/([a-z0-9_]+)\/[^\s]*\.(go|s)$/;

export function isRuntimeFile(file: string): boolean {
  if (file.startsWith('node:') || file.startsWith('<frozen ') || PYTHON_STDLIB_PATH.test(file)) return true;
  const go = GOROOT_FILE.exec(file);
  return go !== null && GO_STD.has(go[2]) && !file.includes('/vendor/');
}
