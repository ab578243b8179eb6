package main

import (
	"bytes"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Files whose YAML aliases loop or explode (issue 13, items 1 and 5) stop the command with
// one line naming the file and the alias, at once, instead of a stack overflow or running
// out of memory.
func TestAliasBombFiles(t *testing.T) {
	t.Parallel()
	script := filepath.Join("..", "..", "fixtures", "testdata", "hostile")
	cassettes := filepath.Join("..", "..", "internal", "cassette", "testdata", "hostile")
	loop := "alias *a refers to a node that contains it (an alias loop)"
	laughs := `the aliases from *l3 on expand the document too much (a "billion laughs"?)`

	t.Run("cassette", func(t *testing.T) {
		t.Parallel()
		for _, tt := range []struct{ file, want string }{
			{filepath.Join(cassettes, "vcrpy-alias-loop.yaml"), loop},
			{filepath.Join(cassettes, "vcrpy-billion-laughs.yaml"), laughs},
		} {
			for _, args := range [][]string{{"cassette", "show", tt.file}, {"cassette", "import", tt.file}} {
				var stdout, stderr bytes.Buffer
				if err := run(args, &stdout, &stderr); err == nil || !strings.Contains(err.Error(), tt.file+": not a cassette: line ") || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("%v: %v, want an error naming %s and %q", args, err, tt.file, tt.want)
				}
			}
		}
	})

	binary := bin(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--script", filepath.Join(script, "alias-loop.yaml")}, "bedrock-emulator: --script: " + filepath.Join(script, "alias-loop.yaml") + ":8: " + loop},
		{[]string{"--script", filepath.Join(script, "billion-laughs.yaml")}, "bedrock-emulator: --script: " + filepath.Join(script, "billion-laughs.yaml") + ":13: " + laughs},
		{[]string{"--cassette", filepath.Join(cassettes, "vcrpy-alias-loop.yaml")}, "bedrock-emulator: "},
		{[]string{"--cassette", filepath.Join(cassettes, "vcrpy-billion-laughs.yaml")}, "bedrock-emulator: "},
	} {
		out, err := exec.Command(binary, append([]string{"serve", "--addr", "127.0.0.1:0"}, tt.args...)...).CombinedOutput()
		got := strings.TrimSpace(string(out))
		if err == nil || !strings.HasPrefix(got, tt.want) || strings.Count(got, "\n") > 0 || !strings.Contains(got, "alias") {
			t.Errorf("serve %v: %v\n  %s\nwant one line starting\n  %s", tt.args, err, got, tt.want)
		}
	}
}
