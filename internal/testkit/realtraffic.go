package testkit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
)

// RealTraffic returns the directory of the real Bedrock recordings,
// internal/cassette/testdata/real-traffic (its SOURCES.md names each file's origin),
// relative to the working directory, which go test makes the package's directory:
// "../internal/cassette/testdata/real-traffic" from fixtures. It panics outside the module.
func RealTraffic() string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			rel, err := filepath.Rel(wd, filepath.Join(dir, "internal", "cassette", "testdata", "real-traffic"))
			if err != nil {
				panic(err)
			}
			return rel
		}
		if dir == filepath.Dir(dir) {
			panic("testkit.RealTraffic: no go.mod above " + wd)
		}
	}
}

// realStreamModel is the model of the bare ConverseStream bodies (.sse files) among the real
// recordings, which name none: prism-php/bedrock's test of these files names it
// (SOURCES.md).
const realStreamModel = "us.amazon.nova-micro-v1:0"

// ImportReal imports the real recording name (a path under RealTraffic, e.g.
// "pydantic-ai/test_bedrock_model_stream.yaml") with cassette.Import, the cassette named
// name. A bare stream gets the model its source names. The interactions are not redacted.
func ImportReal(name string) (c *cassette.Cassette, notes []string, err error) {
	data, err := os.ReadFile(filepath.Join(RealTraffic(), name))
	if err != nil {
		return nil, nil, err
	}
	model := "" // a recording that is not a bare stream names its own
	if strings.HasSuffix(name, ".sse") {
		model = realStreamModel
	}
	return cassette.Import(name, data, cassette.WithModelID(model))
}

// SaveReal imports the real recordings names (ImportReal), redacts them and saves them as
// one cassette at path, which it returns; it fails the test at once on any error.
func SaveReal(t testing.TB, path string, names ...string) *cassette.Cassette {
	t.Helper()
	c := cassette.New(path)
	for _, name := range names {
		imported, _, err := ImportReal(name)
		if err != nil {
			t.Fatalf("import %s: %v", name, err)
		}
		for _, i := range imported.Interactions {
			cassette.Redact(i)
			c.Add(i)
		}
	}
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	return c
}

// CheckNoSecrets is the scan every cassette a test writes gets: the file at path loads,
// cassette.Scan finds nothing in it, and none of secrets ("" ignored) is in its text.
func CheckNoSecrets(t testing.TB, path string, secrets ...string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := cassette.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := cassette.Scan(c); err != nil {
		t.Errorf("%s: %v", path, err)
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(string(data), s) {
			t.Errorf("%s holds the secret %q", path, s)
		}
	}
}
