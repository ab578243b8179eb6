package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// TestMain lets the test binary serve as a bare process (serveBareIfAsked), as the bench
// program does.
func TestMain(m *testing.M) {
	serveBareIfAsked()
	os.Exit(m.Run())
}

// quick bounds the harness's runs in tests.
var quick = config{concurrency: 2, round: 50 * time.Millisecond, rounds: 1, starts: 2, allocRuns: 200, cassette: 1000}

// TestRun runs the whole harness briefly and checks that the table has every row, measured
// or skipped with a reason. It asserts no speed: targets are for the full run on a quiet
// machine.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary; skipped with -short")
	}
	t.Parallel()
	cfg := quick
	cfg.moto = false // TestMoto
	var out, log bytes.Buffer
	if err := run(context.Background(), cfg, &out, &log); err != nil {
		t.Fatalf("run: %v\n%s", err, log.String())
	}
	table := out.String()
	for _, name := range []string{
		"Machine: ",
		"| Served binary: Converse requests/s (2 workers) [",
		"| Served binary: ConverseStream frames/s (204 frames a stream) [",
		"| Served binary: ConverseStream frames/s against a bare process that encodes them with the AWS SDK |",
		"| Converse requests/s (2 workers, ",
		"| Converse latency, median |",
		"| ConverseStream frames/s (200 deltas, 204 frames a stream) |",
		"| ConverseStream frames/s against a bare handler that encodes them with the AWS SDK [",
		"| ConverseStream time to first byte, median (1 worker) |",
		"| Binary start to first healthy answer, median of 2 [",
		"| In-process NewServer + Close, median of 200 [",
		"| Cassette of 1,000 interactions: load time [",
		"| Cassette match per request, 1,000 vs 10 interactions [",
		"| Cassette miss per request, 1,000 vs 10 interactions [",
		"| Resident memory, idle (binary, just started) [",
		"| Resident memory under Converse load (binary, 2 workers) [",
		"| Allocations per Converse request (handler) [",
		"| Allocations per ConverseStream (200 deltas) request (handler) [",
		"| " + aimockRow,
		"| " + motoRow,
	} {
		if !strings.Contains(table, name) {
			t.Errorf("the table has no row %q:\n%s", name, table)
		}
	}
	if strings.Contains(table, "NaN") || strings.Contains(table, "Inf") {
		t.Errorf("the table has a ratio of nothing:\n%s", table)
	}
}

func TestMoto(t *testing.T) {
	if testing.Short() {
		t.Skip("starts moto_server; skipped with -short")
	}
	t.Parallel()
	emu := emulator.NewServer()
	t.Cleanup(emu.Close)
	converse, _, err := captureRequests(context.Background(), emu.URL)
	if err != nil {
		t.Fatal(err)
	}
	r, err := measureMoto(context.Background(), quick, emu, converse)
	if err != nil {
		t.Fatal(err)
	}
	if r.met == "skipped" {
		t.Skip(r.note)
	}
	if r.name != motoRow || !strings.HasSuffix(r.reference, " moto") || !strings.HasSuffix(r.ratio, "×") {
		t.Errorf("moto row = %+v, want requests/s of both and their ratio", r)
	}
}

// TestAimock measures the served binary against aimock briefly. It skips where node or
// aimock is missing (npm ci --prefix upstream/testdata/aimock), and fails there under
// SDKTEST_REQUIRE (.ci/run installs aimock).
func TestAimock(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and starts aimock; skipped with -short")
	}
	t.Parallel()
	emu := emulator.NewServer()
	t.Cleanup(emu.Close)
	converse, _, err := captureRequests(context.Background(), emu.URL)
	if err != nil {
		t.Fatal(err)
	}
	bin, err := buildBinary(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	r, err := measureAimock(context.Background(), quick, bin, converse)
	if err != nil {
		t.Fatal(err)
	}
	if r.met == "skipped" {
		if os.Getenv("SDKTEST_REQUIRE") != "" {
			t.Fatal(r.note)
		}
		t.Skip(r.note)
	}
	if r.name != aimockRow || !strings.HasSuffix(r.reference, " aimock") || !strings.HasSuffix(r.ratio, "×") {
		t.Errorf("aimock row = %+v, want requests/s of both and their ratio", r)
	}
}

// TestBareServesTheEmulatorsBytes checks the reference: the bare handler answers what the
// emulator answered, byte for byte but for the request ID, and a stream in the same frames.
func TestBareServesTheEmulatorsBytes(t *testing.T) {
	t.Parallel()
	emu := emulator.NewServer()
	t.Cleanup(emu.Close)
	converse, stream, err := captureRequests(context.Background(), emu.URL)
	if err != nil {
		t.Fatal(err)
	}
	if got := countEvents(stream.frames, "contentBlockDelta"); got != streamDeltas {
		t.Errorf("the stream has %d deltas, want %d", got, streamDeltas)
	}
	for _, req := range []*request{converse, stream} {
		b, err := startBare(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(b.Close)
		emuBody, emuHeader := send(t, req, emu.URL)
		bareBody, bareHeader := send(t, req, b.URL)
		if !bytes.Equal(emuBody, bareBody) {
			t.Errorf("%s: bare body differs from the emulator's:\n%s", req.path, cmp.Diff(string(emuBody), string(bareBody)))
		}
		for _, h := range []http.Header{emuHeader, bareHeader} {
			h.Del("Date")
			h.Del("X-Amzn-Requestid")
		}
		if diff := cmp.Diff(emuHeader, bareHeader); diff != "" {
			t.Errorf("%s: headers (-emulator +bare):\n%s", req.path, diff)
		}
	}

	h, err := bareEncodingHandler(stream)
	if err != nil {
		t.Fatal(err)
	}
	be, err := serve(h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(be.Close)
	if got, _ := send(t, stream, be.URL); !bytes.Equal(got, stream.respBody) {
		t.Errorf("the encoding bare handler's stream differs from the emulator's")
	}
}

// send replays req against base and returns the response body and headers.
func send(t *testing.T, req *request, base string) ([]byte, http.Header) {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, base+req.path, bytes.NewReader(req.body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header = req.header.Clone()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %s: %s", base+req.path, resp.Status, body)
	}
	return body, resp.Header
}

func TestSplitFrames(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
	}{
		{"truncated prelude", "\x00\x00"},
		{"length too small", "\x00\x00\x00\x04rest-of-it-here-"},
		{"length beyond the body", "\x00\x00\x01\x00rest-of-it-here-"},
		{"bad checksum", "\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if _, err := splitFrames([]byte(tt.body)); err == nil {
				t.Errorf("splitFrames(%q) = nil error, want one", tt.body)
			}
		})
	}
}

func TestCount(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 10_000: "10,000", 1234567: "1,234,567", -1000: "-1,000"} {
		if got := count(n); got != want {
			t.Errorf("count(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestWriteTable(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	writeTable(&b, []row{
		{name: "a", emulator: "1", reference: "2", ratio: "0.50×", target: "≥ 1", met: verdict(false), note: "first"},
		{name: "b", emulator: "3", reference: "—", ratio: "—"},
		skipped("c", "t", "why"),
	})
	want := `| Measurement | bedrock-emulator | Reference | Ratio | Target | Met |
|---|---:|---:|---:|---|---|
| a [1] | 1 | 2 | 0.50× | ≥ 1 | no |
| b | 3 | — | — |  |  |
| c [2] | — | — | — | t | skipped |

1. first
2. why
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("table (-want +got):\n%s", diff)
	}
}

func TestRowSet(t *testing.T) {
	t.Parallel()
	var s rowSet
	if !s.has("served") || !s.has("moto") {
		t.Errorf("an unset -rows does not select every group")
	}
	if err := s.Set("served, moto"); err != nil {
		t.Fatal(err)
	}
	if !s.has("served") || !s.has("moto") || s.has("cassette") {
		t.Errorf("-rows served,moto selects %v", s)
	}
	if err := s.Set("served,nope"); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("-rows served,nope: error %v, want one naming nope", err)
	}
}
