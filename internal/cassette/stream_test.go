package cassette_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// realTraffic holds the real Bedrock recordings (testdata/real-traffic/SOURCES.md
// gives each file's repository, path, commit and licence).
const realTraffic = "testdata/real-traffic"

// sourceStreams reads the event-stream bodies of a real-traffic file straight from its
// source format, without the package under test.
func sourceStreams(t *testing.T, path string) [][]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	switch {
	case strings.HasSuffix(path, ".sse"):
		out = append(out, data)
	case strings.HasSuffix(path, ".yaml"):
		var f struct {
			Interactions []struct {
				Request  struct{ URI string }
				Response struct {
					Body   struct{ String string }
					Status struct{ Code int }
				}
			}
		}
		if err := yaml.Unmarshal(data, &f); err != nil {
			t.Fatal(err)
		}
		for _, i := range f.Interactions {
			if strings.HasSuffix(i.Request.URI, "/converse-stream") && i.Response.Status.Code == 200 {
				out = append(out, []byte(i.Response.Body.String))
			}
		}
	case strings.HasSuffix(path, ".yml"): // Ruby VCR: a stream body is !binary (base64)
		var f struct {
			HTTPInteractions []struct {
				Response struct {
					Headers map[string][]string
					Body    struct{ String yaml.Node }
				}
			} `yaml:"http_interactions"`
		}
		if err := yaml.Unmarshal(data, &f); err != nil {
			t.Fatal(err)
		}
		for _, i := range f.HTTPInteractions {
			if i.Response.Headers["Content-Type"][0] == "application/vnd.amazon.eventstream" {
				b, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(i.Response.Body.String.Value), ""))
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, b)
			}
		}
	case strings.HasSuffix(path, ".httprr"): // none of them is a stream
	case bytes.Contains(data, []byte(`"base64:`)): // dd-trace-js
		var f struct{ Response struct{ Body string } }
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatal(err)
		}
		b, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(f.Response.Body, "base64:"))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	case bytes.Contains(data, []byte(`"chunks"`)): // req_llm
		var f struct{ Chunks []struct{ B64 string } }
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatal(err)
		}
		var body []byte
		for _, c := range f.Chunks {
			b, err := base64.StdEncoding.DecodeString(c.B64)
			if err != nil {
				t.Fatal(err)
			}
			body = append(body, b...)
		}
		out = append(out, body)
	case bytes.HasPrefix(bytes.TrimSpace(data), []byte("[")):
		var entries []struct {
			Response         json.RawMessage
			ResponseIsBinary bool
		}
		if err := json.Unmarshal(data, &entries); err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			var s string
			if e.ResponseIsBinary && json.Unmarshal(e.Response, &s) == nil {
				b, err := hex.DecodeString(s)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, b)
			}
		}
	default:
		var c struct{ Response struct{ BodyBase64 string } }
		if err := json.Unmarshal(data, &c); err != nil {
			t.Fatal(err)
		}
		if c.Response.BodyBase64 != "" {
			b, err := base64.StdEncoding.DecodeString(c.Response.BodyBase64)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, b)
		}
	}
	return out
}

// TestRealStreamsByteIdentical imports every real ConverseStream body, writes the cassette,
// reads it back and re-encodes the frames: the bytes must be the ones Bedrock sent, every
// CRC valid (the SDK's decoder checks them) and every event payload still padded with "p"
// (docs/wire-facts.md §3.2, §3.3).
func TestRealStreamsByteIdentical(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(realTraffic, "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	streams := 0
	for _, path := range files {
		want := sourceStreams(t, path)
		if len(want) == 0 {
			continue
		}
		t.Run(strings.TrimPrefix(path, realTraffic+"/"), func(t *testing.T) {
			back, _ := reload(t, importFile(t, path))
			var got []*cassette.Interaction
			for _, i := range back.Interactions {
				if i.Response.Frames != nil {
					got = append(got, i)
				}
			}
			if len(got) != len(want) {
				t.Fatalf("%d streams imported, want %d", len(got), len(want))
			}
			for n, i := range got {
				body, err := i.Response.StreamBody()
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(body, want[n]) {
					t.Fatalf("stream %d: re-encoded %d bytes differ from the %d recorded", n, len(body), len(want[n]))
				}
				checkFrames(t, body, i.Response.Frames)
			}
			streams += len(got)
		})
	}
	if streams < 33 {
		t.Errorf("checked %d real streams, want every one in %s (33)", streams, realTraffic)
	}
	t.Logf("%d real streams re-encoded byte for byte", streams)
}

// checkFrames decodes body with the SDK and checks it against the frames it came from.
func checkFrames(t *testing.T, body []byte, frames []cassette.Frame) {
	t.Helper()
	dec := eventstream.NewDecoder()
	r := bytes.NewReader(body)
	for n, f := range frames {
		if f.Raw != "" {
			t.Errorf("frame %d kept raw: a real Bedrock frame should decode", n)
			continue
		}
		msg, err := dec.Decode(r, nil)
		if err != nil {
			t.Fatalf("frame %d: SDK decoder: %v", n, err)
		}
		if string(msg.Payload) != f.Payload {
			t.Errorf("frame %d payload = %s, want %s", n, msg.Payload, f.Payload)
		}
		if f.Header(":message-type") == "event" && !strings.Contains(f.Payload, `"p":"`) {
			t.Errorf("frame %d (%s) lost its p padding: %s", n, f.Header(":event-type"), f.Payload)
		}
	}
	if _, err := dec.Decode(r, nil); err != io.EOF {
		t.Errorf("after %d frames: %v, want the end of the stream", len(frames), err)
	}
}

func importFile(t *testing.T, path string) *cassette.Cassette {
	t.Helper()
	rel, err := filepath.Rel(realTraffic, path)
	if err != nil {
		t.Fatal(err)
	}
	c, _, err := testkit.ImportReal(rel)
	if err != nil {
		t.Fatalf("import %s: %v", path, err)
	}
	return c
}

// reload saves c and loads what it saved, failing the test if either fails; it returns the
// cassette loaded and the YAML saved.
func reload(t *testing.T, c *cassette.Cassette) (*cassette.Cassette, []byte) {
	t.Helper()
	saved, err := c.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	back, err := cassette.Parse(saved)
	if err != nil {
		t.Fatalf("the saved cassette does not load: %v\n%s", err, saved)
	}
	return back, saved
}

// encode is one message encoded by the SDK.
func encode(t *testing.T, msg eventstream.Message) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := eventstream.NewEncoder().Encode(&buf, msg); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestHeaderTypes: every header value type of the event-stream format survives a save and a
// load byte for byte, and reads as the SDK names it.
func TestHeaderTypes(t *testing.T) {
	t.Parallel()
	var uuid eventstream.UUIDValue
	copy(uuid[:], "0123456789abcdef")
	msg := eventstream.Message{
		Headers: eventstream.Headers{
			{Name: ":event-type", Value: eventstream.StringValue("messageStart")},
			{Name: "yes", Value: eventstream.BoolValue(true)},
			{Name: "no", Value: eventstream.BoolValue(false)},
			{Name: "byte", Value: eventstream.Int8Value(-8)},
			{Name: "short", Value: eventstream.Int16Value(-1600)},
			{Name: "int", Value: eventstream.Int32Value(0xA00C)},
			{Name: "long", Value: eventstream.Int64Value(-1 << 40)},
			{Name: "bytes", Value: eventstream.BytesValue([]byte{0, 1, 2, 0xff})},
			{Name: "when", Value: eventstream.TimestampValue(time.UnixMilli(1742522660123))},
			{Name: "id", Value: uuid},
			{Name: "number-like", Value: eventstream.StringValue("true")},
		},
		Payload: []byte(`{"p":"abcd","role":"assistant"}`),
	}
	want := encode(t, msg)
	frames := cassette.DecodeStream(want)
	if len(frames) != 1 || frames[0].Raw != "" {
		t.Fatalf("frames = %+v, want one decoded frame", frames)
	}
	c := cassette.New("types")
	i := &cassette.Interaction{}
	i.Response.Frames = frames
	c.Add(i)
	back, saved := reload(t, c)
	got, err := back.Interactions[0].Response.StreamBody()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("re-encoded frame differs:\n got %x\nwant %x\n%s", got, want, saved)
	}
	types := map[string]string{}
	for _, h := range back.Interactions[0].Response.Frames[0].Headers {
		types[h.Name] = h.Type
	}
	wantTypes := map[string]string{":event-type": "", "yes": "bool", "no": "bool", "byte": "int8", "short": "int16", "int": "int32",
		"long": "int64", "bytes": "byte_array", "when": "timestamp", "id": "uuid", "number-like": ""}
	if diff := cmp.Diff(wantTypes, types); diff != "" {
		t.Errorf("header types (-want +got):\n%s", diff)
	}
}

// TestCutter feeds streams to a Cutter in pieces: the frames are the same however the
// bytes arrive, a stream cut short keeps its tail raw, and a corrupt frame is kept raw with
// everything after it, so nothing is ever lost or altered.
func TestCutter(t *testing.T) {
	t.Parallel()
	ev := func(typ, payload string) []byte {
		var h eventstream.Headers
		h.Set(":event-type", eventstream.StringValue(typ))
		h.Set(":content-type", eventstream.StringValue("application/json"))
		h.Set(":message-type", eventstream.StringValue("event"))
		return encode(t, eventstream.Message{Headers: h, Payload: []byte(payload)})
	}
	a := ev("messageStart", `{"p":"abcd","role":"assistant"}`)
	b := ev("contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":"30°C"},"p":"ab"}`)
	corrupt := bytes.Clone(b)
	corrupt[len(corrupt)-1] ^= 1 // message CRC
	stream := append(bytes.Clone(a), b...)

	tests := []struct {
		name     string
		body     []byte
		chunk    int
		wantRaws []bool // per frame: kept raw
	}{
		{"whole", stream, len(stream), []bool{false, false}},
		{"byte by byte", stream, 1, []bool{false, false}},
		{"in sevens", stream, 7, []bool{false, false}},
		{"cut mid-frame", stream[:len(stream)-5], 3, []bool{false, true}},
		{"corrupt CRC", append(bytes.Clone(a), corrupt...), 10, []bool{false, true}},
		{"not a stream", []byte("<html>gateway timeout</html>"), 4, []bool{true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := cassette.NewCutter(time.Now())
			for rest := tt.body; len(rest) > 0; {
				n := min(tt.chunk, len(rest))
				c.Write(rest[:n])
				rest = rest[n:]
			}
			frames := c.Frames()
			var raws []bool
			var again []byte
			for _, f := range frames {
				raws = append(raws, f.Raw != "")
				b, err := f.Encode()
				if err != nil {
					t.Fatal(err)
				}
				again = append(again, b...)
			}
			if diff := cmp.Diff(tt.wantRaws, raws); diff != "" {
				t.Errorf("raw frames (-want +got):\n%s", diff)
			}
			if !bytes.Equal(again, tt.body) {
				t.Errorf("frames re-encode to %x, want %x", again, tt.body)
			}
		})
	}
}
