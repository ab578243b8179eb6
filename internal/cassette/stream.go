package cassette

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"gopkg.in/yaml.v3"
)

// Frame is one event-stream message of a recorded response: its headers in wire order and
// its payload (Bedrock's is JSON, kept byte for byte, "p" padding included), or, for bytes
// that do not decode as a message (a stream cut mid-frame), those bytes in Raw.
type Frame struct {
	// At is when the frame arrived, after the response headers; zero when not recorded.
	At time.Duration `yaml:"at,omitempty"`
	// Headers are the message headers, in order.
	Headers Headers `yaml:"headers,omitempty"`
	// Payload is the message payload.
	Payload string `yaml:"payload,omitempty"`
	// Raw, when set, is written as it is instead of a message built from Headers and
	// Payload.
	Raw string `yaml:"raw,omitempty"`
}

// Header is one event-stream header. Type is the value type in the AWS SDK's words (bool,
// int8, int16, int32, int64, byte_array, string, timestamp, uuid), empty for string, the only
// type Bedrock sends. Value is the value as text: base64 for byte_array, RFC 3339 for
// timestamp.
type Header struct {
	Name  string `yaml:"name"`
	Type  string `yaml:"type,omitempty"`
	Value string `yaml:"value"`
}

// Headers are a frame's headers in wire order. In YAML they are one flow mapping, in order,
// of name to value; a value of another type than string is {type: T, value: V}:
//
//	headers: {':event-type': messageStart, ':content-type': application/json, ':message-type': event}
type Headers []Header

// MarshalYAML writes the headers as an ordered flow mapping.
func (hs Headers) MarshalYAML() (any, error) {
	n := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
	str := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
	for _, h := range hs {
		v := str(h.Value)
		if h.Type != "" {
			v = &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle, Content: []*yaml.Node{str("type"), str(h.Type), str("value"), str(h.Value)}}
		}
		n.Content = append(n.Content, str(h.Name), v)
	}
	return n, nil
}

// UnmarshalYAML reads the ordered mapping MarshalYAML writes.
func (hs *Headers) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: frame headers are not a mapping", n.Line)
	}
	*hs = nil
	for i := 0; i+1 < len(n.Content); i += 2 {
		h := Header{Name: n.Content[i].Value}
		v := n.Content[i+1]
		switch v.Kind {
		case yaml.ScalarNode:
			h.Value = v.Value
		case yaml.MappingNode:
			var typed struct{ Type, Value string }
			if err := v.Decode(&typed); err != nil {
				return err
			}
			h.Type, h.Value = typed.Type, typed.Value
		default:
			return fmt.Errorf("line %d: header %q: want a value or {type, value}", v.Line, h.Name)
		}
		*hs = append(*hs, h)
	}
	return nil
}

// Encode returns the frame's bytes: Raw, or the message encoded with the AWS SDK's
// event-stream encoder.
func (f Frame) Encode() ([]byte, error) {
	if f.Raw != "" {
		return []byte(f.Raw), nil
	}
	msg, err := f.Message()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := eventstream.NewEncoder().Encode(&buf, msg); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Message returns the frame as an event-stream message. A Raw frame is an error.
func (f Frame) Message() (eventstream.Message, error) {
	if f.Raw != "" {
		return eventstream.Message{}, errors.New("a raw frame is not a message")
	}
	msg := eventstream.Message{Payload: []byte(f.Payload)}
	for _, h := range f.Headers {
		v, err := h.value()
		if err != nil {
			return eventstream.Message{}, fmt.Errorf("header %q: %w", h.Name, err)
		}
		msg.Headers = append(msg.Headers, eventstream.Header{Name: h.Name, Value: v})
	}
	return msg, nil
}

// Header returns the value of the frame's header name as text, "" if it has none.
func (f Frame) Header(name string) string {
	for _, h := range f.Headers {
		if h.Name == name {
			return h.Value
		}
	}
	return ""
}

func (h Header) value() (eventstream.Value, error) {
	s := h.Value
	switch h.Type {
	case "", "string":
		return eventstream.StringValue(s), nil
	case "bool":
		b, err := strconv.ParseBool(s)
		return eventstream.BoolValue(b), err
	case "int8":
		n, err := strconv.ParseInt(s, 10, 8)
		return eventstream.Int8Value(n), err
	case "int16":
		n, err := strconv.ParseInt(s, 10, 16)
		return eventstream.Int16Value(n), err
	case "int32":
		n, err := strconv.ParseInt(s, 10, 32)
		return eventstream.Int32Value(n), err
	case "int64":
		n, err := strconv.ParseInt(s, 10, 64)
		return eventstream.Int64Value(n), err
	case "byte_array":
		b, err := base64.StdEncoding.DecodeString(s)
		return eventstream.BytesValue(b), err
	case "timestamp":
		t, err := time.Parse(time.RFC3339Nano, s)
		return eventstream.TimestampValue(t), err
	case "uuid":
		var u eventstream.UUIDValue
		b, err := parseUUID(s)
		copy(u[:], b)
		return u, err
	}
	return nil, fmt.Errorf("unknown header type %q", h.Type)
}

func headerOf(h eventstream.Header) Header {
	switch v := h.Value.(type) {
	case eventstream.StringValue:
		return Header{Name: h.Name, Value: string(v)}
	case eventstream.BoolValue:
		return Header{Name: h.Name, Type: "bool", Value: strconv.FormatBool(bool(v))}
	case eventstream.BytesValue:
		return Header{Name: h.Name, Type: "byte_array", Value: base64.StdEncoding.EncodeToString(v)}
	case eventstream.TimestampValue:
		return Header{Name: h.Name, Type: "timestamp", Value: time.Time(v).UTC().Format(time.RFC3339Nano)}
	case eventstream.Int8Value:
		return Header{Name: h.Name, Type: "int8", Value: strconv.FormatInt(int64(v), 10)}
	case eventstream.Int16Value:
		return Header{Name: h.Name, Type: "int16", Value: strconv.FormatInt(int64(v), 10)}
	case eventstream.Int32Value:
		return Header{Name: h.Name, Type: "int32", Value: strconv.FormatInt(int64(v), 10)}
	case eventstream.Int64Value:
		return Header{Name: h.Name, Type: "int64", Value: strconv.FormatInt(int64(v), 10)}
	case eventstream.UUIDValue:
		return Header{Name: h.Name, Type: "uuid", Value: v.String()}
	}
	return Header{Name: h.Name, Type: fmt.Sprintf("%T", h.Value), Value: h.Value.String()}
}

func parseUUID(s string) ([]byte, error) {
	b, err := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	if err == nil && len(b) != 16 {
		err = fmt.Errorf("uuid %q is not 16 bytes", s)
	}
	return b, err
}

// frameOf is the frame of one message whose wire bytes are raw. A message that the encoder
// would not give back byte for byte (duplicate header names, say) is kept raw, so a replay
// is always faithful.
func frameOf(raw []byte, msg eventstream.Message, at time.Duration) Frame {
	f := Frame{At: durationOf(at), Payload: string(msg.Payload)}
	text := true // header text must be UTF-8 to be written as YAML text
	for _, h := range msg.Headers {
		hd := headerOf(h)
		text = text && utf8.ValidString(hd.Name) && utf8.ValidString(hd.Value)
		f.Headers = append(f.Headers, hd)
	}
	if b, err := f.Encode(); err != nil || !text || !bytes.Equal(b, raw) {
		return Frame{At: f.At, Raw: string(raw)}
	}
	return f
}

// DecodeStream cuts an event-stream body into frames, all at offset zero. It does not fail:
// bytes from the first that do not decode on are kept in one Raw frame.
func DecodeStream(body []byte) []Frame {
	c := NewCutter(time.Time{})
	c.now = func() time.Time { return time.Time{} }
	c.Write(body)
	return c.Frames()
}

// Cutter cuts an event stream into frames as its bytes arrive, stamping each frame with the
// time since start at which its last byte was written. Write the body's bytes to it as they
// pass; Frames ends it. It is not safe for concurrent use.
type Cutter struct {
	start   time.Time
	now     func() time.Time
	pending []byte
	frames  []Frame
	broken  bool
	dec     *eventstream.Decoder
}

// NewCutter returns a Cutter whose offsets count from start.
func NewCutter(start time.Time) *Cutter {
	return &Cutter{start: start, now: time.Now, dec: eventstream.NewDecoder()}
}

// Write adds bytes of the stream. It never fails.
func (c *Cutter) Write(p []byte) (int, error) {
	c.pending = append(c.pending, p...)
	for !c.broken && len(c.pending) > 0 {
		r := bytes.NewReader(c.pending)
		msg, err := c.dec.Decode(r, nil)
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break // the rest of the message has not arrived yet
		}
		if err != nil {
			c.broken = true // kept raw from here on
			break
		}
		n := len(c.pending) - r.Len()
		raw := bytes.Clone(c.pending[:n])
		c.frames = append(c.frames, frameOf(raw, msg, c.now().Sub(c.start)))
		c.pending = c.pending[n:]
	}
	return len(p), nil
}

// Frames returns the frames cut so far; bytes left over (a message cut short, or bytes
// that are not a message) become a final Raw frame.
func (c *Cutter) Frames() []Frame {
	frames := c.frames
	if len(c.pending) > 0 {
		frames = append(frames, Frame{At: durationOf(c.now().Sub(c.start)), Raw: string(c.pending)})
	}
	return frames
}
