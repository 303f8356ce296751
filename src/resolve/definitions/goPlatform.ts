// Go files built only for other systems (or only by `go test`) are unlikely to be what ran in a Linux pod:
// the resolver scores their definitions lower, and the index keeps each symbol's other definitions apart.

const FOREIGN_GO_FILE = /_(windows|darwin|freebsd|netbsd|openbsd|plan9|solaris|aix|illumos|dragonfly|ios|android|js|wasip1|wasm|386|arm|arm64|mips\w*|ppc64\w*|riscv64|s390x|loong64)(_\w+)?\.go$|_test\.go$/;

/** True for `x_windows.go`, `x_darwin_arm64.go`, `x_test.go` and the like. */
export function isForeignGoFile(path: string): boolean {
  return FOREIGN_GO_FILE.test(path);
}
