package yamlalias_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/bedrock-emulator/bedrock-emulator/internal/yamlalias"
)

// laughs is a "billion laughs" document: levels levels of ten aliases each to the level
// below, 10^levels strings once expanded.
func laughs(levels int) string {
	var sb strings.Builder
	sb.WriteString("l0: &l0 lol\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&sb, "l%d: &l%d [", i, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				sb.WriteString(",")
			}
			fmt.Fprintf(&sb, "*l%d", i-1)
		}
		sb.WriteString("]\n")
	}
	return sb.String()
}

func TestCheck(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", 1<<20)
	tests := []struct {
		name, reason, doc string
		want              error
		line              int
	}{
		{"plain", "no aliases", "a: [1, 2, {b: c}]\n", nil, 0},
		{"reuse", "an anchor used a few times is what aliases are for", "a: &x {k: v}\nb: *x\nc: [*x, *x]\n", nil, 0},
		{"sibling", "an alias to a sibling, not an ancestor, is no loop", "a: &x [1]\nb: {c: *x, d: *x}\n", nil, 0},
		{"loop", "an alias to the mapping that holds it", "a: &a {x: *a}\n", yamlalias.ErrLoop, 1},
		{"deep loop", "an alias to an ancestor further up", "a: &a\n  b:\n    - c: *a\n", yamlalias.ErrLoop, 3},
		{"laughs", "10 levels of 10 aliases", laughs(10), yamlalias.ErrExcessive, 5},
		{"few laughs", "3 levels: 1,000 strings, within yaml.v3's ratio", laughs(3), nil, 0},
		{"big text", "a 1 MiB string aliased 8 times adds 8 MiB", "a: &a " + big + "\nb: [*a, *a, *a, *a, *a, *a, *a, *a]\n", yamlalias.ErrExcessive, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.doc), &doc); err != nil {
				t.Fatal(err)
			}
			err := yamlalias.Check(&doc)
			if !errors.Is(err, tt.want) || (err == nil) != (tt.want == nil) {
				t.Fatalf("Check = %v, want %v (%s)", err, tt.want, tt.reason)
			}
			var e *yamlalias.Error
			if tt.want != nil && (!errors.As(err, &e) || e.Line != tt.line) {
				t.Errorf("Check = %#v, want line %d", err, tt.line)
			}
		})
	}
}

func ExampleCheck() {
	var doc yaml.Node
	yaml.Unmarshal([]byte("input: &a {x: *a}\n"), &doc)
	fmt.Println(yamlalias.Check(&doc))
	// Output: line 1: alias *a refers to a node that contains it (an alias loop)
}
