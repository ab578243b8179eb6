package cassette_test

import (
	"bytes"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
)

// ImportFiles makes one redacted cassette of several recordings, saying what it changed;
// Write writes it as Save would, and ShowFiles shows each file.
func TestImportFiles(t *testing.T) {
	t.Parallel()
	srcs := []string{
		filepath.Join("testdata", "real-traffic", "openinference", "should-handle-streaming-tool-calls-and-responses.json"),
		filepath.Join("testdata", "real-traffic", "dd-trace-py", "bedrock_converse.yaml"),
	}
	var notes []string
	c, err := cassette.ImportFiles("both", srcs, func(path, note string) { notes = append(notes, filepath.Base(path)+": "+note) },
		nil, cassette.WithMaskAccountIDs(true))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Interactions) != 2 || c.Interactions[1].ID != 1 || len(notes) == 0 {
		t.Fatalf("%d interactions, notes %q", len(c.Interactions), notes)
	}
	var buf bytes.Buffer
	if err := c.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if back, err := cassette.Parse(buf.Bytes()); err != nil || len(back.Interactions) != 2 {
		t.Errorf("Write wrote what Parse reads as %v, %v", back, err)
	}
	buf.Reset()
	if err := cassette.ShowFiles(&buf, srcs); err != nil || strings.Count(buf.String(), "interaction(s)") != 2 {
		t.Errorf("ShowFiles: %v\n%s", err, buf.String())
	}

	if _, err := cassette.ImportFiles("x", []string{filepath.Join("testdata", "none.yaml")}, nil, nil); err == nil {
		t.Error("ImportFiles of a missing file: no error")
	}
	if err := cassette.ShowFiles(&buf, []string{"files.go"}); err == nil || !strings.HasPrefix(err.Error(), "files.go: ") {
		t.Errorf("ShowFiles of a Go file: %v, want an error naming it", err)
	}

	// Write refuses a secret as Save does.
	i := interaction(bedrockURL+"/model/m/converse", `{"messages":[]}`, `{"ok":true}`)
	i.Request.Headers = http.Header{"Authorization": {sigV4(accessKey)}}
	secret := cassette.New("secret")
	secret.Add(i)
	buf.Reset()
	if err := secret.Write(&buf); !errors.Is(err, cassette.ErrSecret) || buf.Len() != 0 {
		t.Errorf("Write of a secret: %v, wrote %d bytes", err, buf.Len())
	}
}
