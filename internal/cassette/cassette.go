// Package cassette is the cassette format that the recorder writes and replay reads:
// go-vcr v3.2.0's format (version 2: a list of interactions, each a recorded request and
// its response, in YAML), with one addition. A response whose body is an event stream
// (ConverseStream) keeps the body as its decoded frames, each with its headers, its JSON
// payload and the offset at which it arrived, so that a person can read it and a test can
// replay it byte for byte (Frame.Encode re-encodes a frame with the AWS SDK's encoder:
// same bytes, same CRCs, Bedrock's "p" padding kept).
//
// go-vcr's own cassette.Load reads these files: every field it knows has its name, type and
// meaning; it ignores the frames, so it replays a stream's body as empty.
//
// Beside the format the package holds what recorder and replay share: the body-aware
// matcher and Player (match.go), redaction and the secret scan that Save runs (redact.go),
// import of other tools' recordings (import.go) and a readable listing (show.go).
package cassette

import (
	"bytes"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	vcr "gopkg.in/dnaeon/go-vcr.v3/cassette"
	"gopkg.in/yaml.v3"

	"github.com/bedrock-emulator/bedrock-emulator/internal/yamlalias"
	"github.com/bedrock-emulator/bedrock-emulator/internal/yamltext"
)

// Version is the format version cassettes are written in: go-vcr's CassetteFormatV2.
const Version = vcr.CassetteFormatV2

// ErrFormat is wrapped by every error Load and Parse return for a file that is not a
// cassette of this format.
var ErrFormat = errors.New("not a cassette")

// Cassette is a recording: interactions in the order they happened.
type Cassette struct {
	// Name says where the cassette came from (its file, for one loaded); it is not saved.
	Name string `yaml:"-"`
	// Version is the format version, Version.
	Version int `yaml:"version"`
	// Interactions are the recorded request/response pairs, oldest first.
	Interactions []*Interaction `yaml:"interactions"`
}

// New returns an empty cassette named name.
func New(name string) *Cassette {
	return &Cassette{Name: name, Version: Version, Interactions: []*Interaction{}}
}

// Interaction is one request and the response it got, as go-vcr writes them.
type Interaction struct {
	// ID is the interaction's index in its cassette, from 0.
	ID int `yaml:"id"`
	// Request is the recorded request.
	Request Request `yaml:"request"`
	// Response is the recorded response.
	Response Response `yaml:"response"`
}

// MarshalYAML writes i as go-vcr does, its bodies so that they read back the same
// (yamltext): yaml.v3 would drop a body's leading line break, or write a body whose first
// line begins with a tab as a block it cannot read.
func (i Interaction) MarshalYAML() (any, error) {
	type plain Interaction // without this method
	if yamltext.RoundTrips(i.Request.Body) && yamltext.RoundTrips(i.Response.Body) {
		return (*plain)(&i), nil
	}
	// Encoded without the bodies, which are set as nodes after: yaml.Node.Encode writes
	// the YAML and parses it back, which fails on the very bodies this is for.
	req, resp := i.Request.Body, i.Response.Body
	i.Request.Body, i.Response.Body = "", ""
	var n yaml.Node
	if err := n.Encode((*plain)(&i)); err != nil {
		return nil, err
	}
	for _, b := range []struct {
		part string
		body string
	}{{"request", req}, {"response", resp}} {
		v := valueOf(valueOf(&n, b.part), "body")
		if v == nil { // not seen: go-vcr's fields have no omitempty
			return nil, fmt.Errorf("cassette: no %s body in the interaction's YAML", b.part)
		}
		*v = *yamltext.Node(b.body)
	}
	return &n, nil
}

// valueOf returns the value of key in the mapping n, or nil.
func valueOf(n *yaml.Node, key string) *yaml.Node {
	for k := 0; n != nil && k+1 < len(n.Content); k += 2 {
		if n.Content[k].Value == key {
			return n.Content[k+1]
		}
	}
	return nil
}

// Request is a recorded request: go-vcr's own type. Its Body is the request body as sent,
// and URL the full URL it was sent to.
type Request = vcr.Request

// Response is a recorded response: go-vcr's, plus Frames. For an event stream, Body is empty
// and Frames holds the stream; otherwise Frames is empty. Duration is go-vcr's: the time the
// response headers took to arrive.
type Response struct {
	vcr.Response `yaml:",inline"`
	// Frames are the event-stream messages of the body, in order.
	Frames []Frame `yaml:"frames,omitempty"`
}

// Add appends i to the cassette, numbering it.
func (c *Cassette) Add(i *Interaction) {
	i.ID = len(c.Interactions)
	c.Interactions = append(c.Interactions, i)
}

// Load reads the cassette file at path.
func Load(path string) (*Cassette, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	c.Name = path
	return c, nil
}

// Parse reads a cassette from its YAML text.
func Parse(data []byte) (*Cassette, error) {
	var doc yaml.Node
	if err := unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	return parseNode(&doc)
}

// unmarshal parses YAML text into doc, refusing alias loops and bombs (yamlalias.Check):
// the importer turns parsed_body into JSON by following its aliases.
func unmarshal(data []byte, doc *yaml.Node) error {
	if err := yaml.Unmarshal(data, doc); err != nil {
		return err
	}
	return yamlalias.Check(doc)
}

// parseNode is Parse of the text's YAML document.
func parseNode(doc *yaml.Node) (*Cassette, error) {
	var c Cassette
	if err := doc.Decode(&c); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if c.Version != Version {
		return nil, fmt.Errorf("%w: version is %d, want %d (go-vcr v3 format)", ErrFormat, c.Version, Version)
	}
	for n, i := range c.Interactions {
		if i == nil {
			return nil, fmt.Errorf("%w: interaction %d is empty", ErrFormat, n)
		}
		for k, f := range i.Response.Frames {
			if _, err := f.Encode(); err != nil {
				return nil, fmt.Errorf("%w: interaction %d, frame %d: %v", ErrFormat, i.ID, k, err)
			}
		}
	}
	if c.Interactions == nil {
		c.Interactions = []*Interaction{}
	}
	return &c, nil
}

// Marshal returns the cassette's YAML text, as Save writes it.
func (c *Cassette) Marshal() ([]byte, error) {
	out := *c
	out.Version = Version
	var buf bytes.Buffer
	buf.WriteString("---\n") // go-vcr starts its files with a document marker
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&out); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Save writes the cassette to path atomically: to a temporary file in the same directory,
// then renamed over path, so that a crash leaves either the old file or the new one whole.
// It refuses, with an error wrapping ErrSecret, to write a cassette that Scan finds a
// secret in; redact the interactions (Redact) before saving.
func (c *Cassette) Save(path string) error {
	if err := Scan(c); err != nil {
		return fmt.Errorf("not saving %s: %w", path, err)
	}
	data, err := c.Marshal()
	if err != nil {
		return err
	}
	return WriteFileAtomic(path, data)
}

// WriteFileAtomic writes data to path through a temporary file in the same directory and a
// rename, creating the directory if needed.
func WriteFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// IsEventStream reports whether a response with header h has an event-stream body.
func IsEventStream(h http.Header) bool {
	for k, v := range h {
		if strings.EqualFold(k, "Content-Type") && len(v) > 0 {
			mt, _, _ := mime.ParseMediaType(v[0])
			return mt == "application/vnd.amazon.eventstream"
		}
	}
	return false
}

// StatusCode is the recorded status code, 200 when none was recorded.
func (r *Response) StatusCode() int {
	if r.Code == 0 {
		return http.StatusOK
	}
	return r.Code
}

// StreamBody returns an event-stream response's body: its frames encoded, in order.
func (r *Response) StreamBody() ([]byte, error) {
	var buf bytes.Buffer
	for n, f := range r.Frames {
		b, err := f.Encode()
		if err != nil {
			return nil, fmt.Errorf("frame %d: %w", n, err)
		}
		buf.Write(b)
	}
	return buf.Bytes(), nil
}

// SetBody stores body as the response body: as frames when header says it is an event
// stream (all at offset 0; undecodable bytes are kept raw), else as is.
func (r *Response) SetBody(body []byte) {
	if IsEventStream(r.Headers) {
		r.Body, r.Frames = "", DecodeStream(body)
		return
	}
	r.Body, r.Frames = string(body), nil
}

// WireHeader returns h as Bedrock sends it: standard header names in canonical form, and
// x-amzn-RequestId and x-amzn-ErrorType in Bedrock's own casing (docs/wire-facts.md §2.2, §2.3),
// whatever casing the recorder stored them in. Values of names that differ only in case
// are merged.
func WireHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, v := range h {
		name := http.CanonicalHeaderKey(k)
		switch strings.ToLower(k) {
		case "x-amzn-requestid":
			name = "x-amzn-RequestId"
		case "x-amzn-errortype":
			name = "x-amzn-ErrorType"
		}
		out[name] = append(out[name], v...)
	}
	return out
}

// durationOf is d rounded for a readable file.
func durationOf(d time.Duration) time.Duration { return d.Round(time.Microsecond) }
