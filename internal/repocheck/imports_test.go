package repocheck

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportRules holds the module's import graph to the rules of docs/architecture.md:
// emulator depends on none of the packages built on it, nor on go-vcr; recorder does not
// depend on emulator; internal packages import no public package of the module.
func TestImportRules(t *testing.T) {
	const mod = "github.com/bedrock-emulator/bedrock-emulator"
	deps := func(pkg string) []string {
		t.Helper()
		cmd := exec.Command("go", "list", "-deps", "./"+pkg)
		cmd.Dir = moduleRoot(t)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("go list -deps ./%s: %v", pkg, err)
		}
		return strings.Fields(string(out))
	}
	forbidden := map[string][]string{
		"emulator": {mod + "/fixtures", mod + "/recorder", mod + "/conformance", mod + "/cmd/", mod + "/client", "gopkg.in/dnaeon/go-vcr"},
		"recorder": {mod + "/emulator"},
	}
	for pkg, bad := range forbidden {
		for _, d := range deps(pkg) {
			for _, b := range bad {
				if strings.HasPrefix(d, b) {
					t.Errorf("%s depends on %s", pkg, d)
				}
			}
		}
	}

	cmd := exec.Command("go", "list", "-f", `{{.ImportPath}} {{join .Imports " "}}`, "./internal/...")
	cmd.Dir = moduleRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list ./internal/...: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		for _, imp := range f[1:] {
			if strings.HasPrefix(imp, mod+"/") && !strings.HasPrefix(imp, mod+"/internal/") {
				t.Errorf("%s imports the public package %s", f[0], imp)
			}
		}
	}
}
