package conformance_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/conformance"
	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

var updateCassettes = flag.Bool("update-cassettes", false, "rebuild testdata/real-bedrock*.yaml from the recordings in "+realTraffic)

// realTraffic holds public recordings of real Bedrock traffic, copied with their sources
// (SOURCES.md there).
var realTraffic = testkit.RealTraffic()

// realBedrock are the cassettes made from those recordings, with the recordings each holds
// and the response headers their recorders did not keep.
var realBedrock = []struct {
	path       string
	sources    []string
	unrecorded []string
}{
	{
		// Recorders that kept Bedrock's headers.
		path: "testdata/real-bedrock.yaml",
		sources: []string{
			"opentelemetry-python-contrib/*.yaml", "dd-trace-py/*.yaml", "openllmetry/*.yaml",
			"openinference/*.json", "opentelemetry-js-contrib/*.json",
		},
	},
	{
		// pydantic-ai's recorder drops every x-* header; crewAI's masks x-amzn-RequestId;
		// openinference's Python cassettes strip the response headers.
		path:       "testdata/real-bedrock-headerless.yaml",
		sources:    []string{"pydantic-ai/*.yaml", "crewAI/*.yaml", "openinference/*.yaml"},
		unrecorded: []string{"x-amzn-RequestId", "x-amzn-ErrorType"},
	},
	{
		// 2026 recordings by crmne/ruby_llm's Ruby VCR, which kept Bedrock's headers.
		path:    "testdata/real-bedrock-2026.yaml",
		sources: []string{"ruby_llm/*.yml"},
	},
}

// The cases made from real recordings pass against the recorded answers of real Bedrock,
// replayed offline from cassettes; each is covered by one of them.
func TestRealBedrock(t *testing.T) {
	t.Parallel()
	if *updateCassettes {
		for _, c := range realBedrock {
			buildCassette(t, c.path, c.sources)
		}
	}
	cases, _ := conformance.Select(conformance.Cases(), "^recorded/")
	covered := map[string]bool{}
	for _, c := range realBedrock {
		target, err := conformance.Cassette(c.path)
		if err != nil {
			t.Fatalf("%v (rebuild with -update-cassettes)", err)
		}
		target.Unrecorded = c.unrecorded
		for _, r := range conformance.Run(t.Context(), target, cases) {
			switch r.Outcome {
			case conformance.Pass:
				covered[r.Case] = true
			case conformance.Fail:
				t.Errorf("%s against %s: %s", r.Case, c.path, strings.Join(r.Problems, "; "))
			}
		}
		if err := target.Close(); err != nil {
			t.Error(err)
		}
	}
	for _, c := range cases {
		if !covered[c.Name] {
			t.Errorf("%s passes against none of the real-Bedrock cassettes", c.Name)
		}
	}
}

// buildCassette imports the recordings matching sources into one cassette at path.
func buildCassette(t *testing.T, path string, sources []string) {
	t.Helper()
	out := cassette.New(path)
	for _, pattern := range sources {
		files, err := filepath.Glob(filepath.Join(realTraffic, pattern))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no recordings (%v)", pattern, err)
		}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			c, _, err := cassette.Import(filepath.Base(f), data)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			for _, i := range c.Interactions {
				cassette.Redact(i, cassette.WithMaskAccountIDs(true))
				out.Add(i)
			}
		}
	}
	if err := out.Save(path); err != nil {
		t.Fatal(err)
	}
}

// Recording a run and replaying the cassette gives the same outcomes: the pipeline that
// refreshes a cassette from real Bedrock, with the emulator standing in for it.
func TestRecordReplay(t *testing.T) {
	t.Parallel()
	var cases []conformance.Case
	for _, c := range conformance.Cases() {
		if c.Pending == "" {
			cases = append(cases, c)
		}
	}
	path := filepath.Join(t.TempDir(), "bedrock.yaml")
	rec, err := conformance.Record(conformance.InProcess(), path)
	if err != nil {
		t.Fatal(err)
	}
	recorded := conformance.Run(t.Context(), rec, cases)
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}
	replay, err := conformance.Cassette(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { replay.Close() })
	replayed := conformance.Run(t.Context(), replay, cases)
	for i, r := range replayed {
		if want := recorded[i]; r.Outcome != want.Outcome {
			t.Errorf("%s: %s when recorded (%s), %s replayed: %s", r.Case, want.Outcome, want.Why, r.Outcome, r.Why)
		}
	}
}
