package cassette_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
)

// FuzzImport feeds anything to the two readers of foreign bytes. DecodeStream must give
// frames that encode back to the very bytes (a replay never alters what was recorded);
// Import must never panic, and what it imports must write out and read back.
func FuzzImport(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(realTraffic, "*", "*"))
	bombs, _ := filepath.Glob("testdata/hostile/*.yaml") // alias bombs
	for _, file := range append(files, bombs...) {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("version: 2\ninteractions:\n- response:\n    frames:\n    - headers: {':event-type': messageStart}\n      payload: '{}'\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var again []byte
		for _, fr := range cassette.DecodeStream(data) {
			b, err := fr.Encode()
			if err != nil {
				t.Fatal(err)
			}
			again = append(again, b...)
		}
		if !bytes.Equal(again, data) {
			t.Fatalf("frames re-encode to %x, want %x", again, data)
		}

		c, _, err := cassette.Import("fuzz", data, cassette.WithModelID("m"))
		if err != nil {
			return
		}
		out, err := c.Marshal()
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		if _, err := cassette.Parse(out); err != nil {
			t.Fatalf("Parse of what Marshal wrote: %v\n%s", err, out)
		}
	})
}
