package testkit

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// The commands built for this test binary, by package path, in one directory that Main
// removes.
var built struct {
	mu   sync.Mutex
	dir  string // "" until Main runs
	bins map[string]*build
}

type build struct {
	once sync.Once
	path string
	err  error
}

// Main runs a package's tests (call it from TestMain) and removes the commands Binary built
// for them, then exits with the tests' status.
//
//	func TestMain(m *testing.M) { testkit.Main(m) }
func Main(m *testing.M) {
	dir, err := os.MkdirTemp("", "testkit-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "testkit:", err)
		os.Exit(2)
	}
	built.mu.Lock()
	built.dir, built.bins = dir, map[string]*build{}
	built.mu.Unlock()
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// Binary returns the path of the command in package pkg (a path as `go build` takes it,
// e.g. "." or "../cmd/bedrock-emulator"), built once for the whole test binary however many
// tests ask, and fails the test if it does not build. The package's TestMain must call Main.
func Binary(t testing.TB, pkg string) string {
	t.Helper()
	built.mu.Lock()
	if built.dir == "" {
		built.mu.Unlock()
		t.Fatal("testkit.Binary: the package's TestMain must call testkit.Main")
	}
	b := built.bins[pkg]
	if b == nil {
		b = &build{}
		built.bins[pkg] = b
	}
	dir := built.dir
	n := len(built.bins)
	built.mu.Unlock()
	b.once.Do(func() {
		name := filepath.Base(pkg)
		if abs, err := filepath.Abs(pkg); err == nil {
			name = filepath.Base(abs) // "bedrock-emulator" for "."
		}
		b.path = filepath.Join(dir, fmt.Sprintf("%d-%s", n, name))
		if out, err := exec.Command("go", "build", "-o", b.path, pkg).CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}
