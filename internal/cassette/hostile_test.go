package cassette_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
	"github.com/bedrock-emulator/bedrock-emulator/internal/yamlalias"
)

// A vcrpy cassette whose parsed_body aliases loop or explode is refused with a clear error
// instead of a stack overflow or running out of memory (issue 13, item 5); so is one of
// this package's own cassettes.
func TestImportAliasBombs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want error
		msg  string
	}{
		{"vcrpy-alias-loop.yaml", yamlalias.ErrLoop, "not a cassette: line 9: alias *a refers to a node that contains it (an alias loop)"},
		{"vcrpy-billion-laughs.yaml", yamlalias.ErrExcessive, `not a cassette: line 14: the aliases from *l3 on expand the document too much (a "billion laughs"?)`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(filepath.Join("testdata", "hostile", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = cassette.Import(tt.file, data)
			if !errors.Is(err, tt.want) || !errors.Is(err, cassette.ErrFormat) || !strings.HasPrefix(err.Error(), tt.msg) {
				t.Errorf("Import = %v, want %q", err, tt.msg)
			}
			// The same body in a cassette of this package's own format.
			own := strings.Replace(strings.Replace(string(data), "version: 1", "version: 2", 1), "parsed_body:", "body:", 1)
			if _, err := cassette.Parse([]byte(own)); !errors.Is(err, tt.want) {
				t.Errorf("Parse = %v, want %v", err, tt.want)
			}
		})
	}
}
