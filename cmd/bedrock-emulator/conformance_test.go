package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/conformance"
	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

func TestConformanceCommand(t *testing.T) {
	t.Parallel()
	srv := emulator.NewServer()
	t.Cleanup(srv.Close)
	// An emulator that answers errors without x-amzn-ErrorType.
	h, err := emulator.NewHandler()
	if err != nil {
		t.Fatal(err)
	}
	broken := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(stripErrorType{w}, r)
	}))
	t.Cleanup(broken.Close)

	// A cassette of a run against the emulator, as --bedrock --record makes of real Bedrock.
	cassette := filepath.Join(t.TempDir(), "run.yaml")
	cases, err := conformance.Select(conformance.Cases(), "^(converse/basic|stream/basic)$")
	if err != nil {
		t.Fatal(err)
	}
	rec, err := conformance.Record(conformance.Endpoint(srv.URL), cassette)
	if err != nil {
		t.Fatal(err)
	}
	conformance.Run(t.Context(), rec, cases)
	if err := rec.Close(); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name    string
		args    []string
		wantErr string // "" means success
		wantOut []string
	}{
		{"passes", []string{"--endpoint", srv.URL, "--run", "^(converse/basic|validation/roles-alternate)$"}, "",
			[]string{"converse/basic", "validation/roles-alternate", "pass", "2 passed, 0 failed"}},
		{"fails naming the case", []string{"--endpoint", broken.URL, "--run", "^validation/roles-alternate$"}, "1 failed",
			[]string{"validation/roles-alternate", "fail", "no x-amzn-ErrorType header"}},
		{"json", []string{"--endpoint", srv.URL, "--run", "^converse/basic$", "--json"}, "",
			[]string{`"case": "converse/basic"`, `"outcome": "pass"`}},
		{"diff", []string{"--endpoint", srv.URL, "--diff", srv.URL, "--run", "^stream/basic$"}, "",
			[]string{"stream/basic", "same"}},
		{"cassette", []string{"--cassette", cassette, "--run", "^(converse/basic|stream/basic|tools/auto)$"}, "",
			[]string{"converse/basic", "stream/basic", "tools/auto", "not in the cassette", "2 passed, 0 failed, 0 pending, 1 skipped"}},
		{"diff with a cassette", []string{"--endpoint", srv.URL, "--diff", cassette, "--run", "^stream/basic$"}, "",
			[]string{"stream/basic", "same"}},
		{"record without bedrock", []string{"--endpoint", srv.URL, "--record", cassette}, "give --bedrock", nil},
		{"no cassette", []string{"--cassette", filepath.Join(t.TempDir(), "none.yaml")}, "no such file", nil},
		{"no target", nil, "give one target", nil},
		{"two targets", []string{"--endpoint", srv.URL, "--bedrock"}, "give one target", nil},
		{"bad pattern", []string{"--endpoint", srv.URL, "--run", "("}, "--run", nil},
		{"bad roles", []string{"--endpoint", srv.URL, "--roles", "text"}, "--roles", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var out, errOut strings.Builder
			err := run(append([]string{"conformance"}, tt.args...), &out, &errOut)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("error %v\nstdout:\n%s", err, out.String())
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want one saying %q\nstdout:\n%s", err, tt.wantErr, out.String())
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out.String(), w) {
					t.Errorf("output lacks %q:\n%s", w, out.String())
				}
			}
			if tt.name == "json" && !json.Valid([]byte(out.String())) {
				t.Errorf("--json output is not JSON:\n%s", out.String())
			}
		})
	}
}

type stripErrorType struct{ http.ResponseWriter }

func (w stripErrorType) WriteHeader(code int) {
	delete(w.Header(), "x-amzn-ErrorType")
	w.ResponseWriter.WriteHeader(code)
}

func (w stripErrorType) Flush() { w.ResponseWriter.(http.Flusher).Flush() }
