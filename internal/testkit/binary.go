package testkit

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// Start runs the command bin with args, env added to the environment, and returns it with
// the first line it prints on stdout (a server's URL, trimmed) and what it writes on
// stderr. It fails the test at once if the command does not start or prints no line, and
// kills the command when the test ends if it is still running.
func Start(t testing.TB, bin string, env []string, args ...string) (cmd *exec.Cmd, url string, stderr *strings.Builder) {
	t.Helper()
	cmd = exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr = &strings.Builder{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("%s %s: reading the URL: %v (stderr: %s)", filepath.Base(bin), strings.Join(args, " "), err, stderr)
	}
	return cmd, strings.TrimSpace(line), stderr
}
