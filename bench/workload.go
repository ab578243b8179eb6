package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/client"
	"github.com/bedrock-emulator/bedrock-emulator/internal/loadgen"
)

// modelID is the model every benchmark request names.
const modelID = "anthropic.claude-3-haiku-20240307-v1:0"

// streamDeltas is how many contentBlockDelta events the benchmark stream carries.
const streamDeltas = 200

// request is one request as the AWS SDK for Go sends it, ready to be replayed by the load
// driver against any base URL, and the response the emulator gave it.
type request struct {
	path   string // escaped, as sent
	header http.Header
	body   []byte

	respHeader http.Header
	respBody   []byte
	frames     [][]byte // of an event stream, in order
}

// target is the request aimed at the server at base.
func (r *request) target(base string) loadgen.Target {
	return loadgen.Target{URL: base + r.path, Header: r.header, Body: r.body}
}

// capture records the requests an SDK client sends and the responses it gets.
type capture struct {
	inner *http.Client
	last  *request
}

func (c *capture) Do(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	resp, err := c.inner.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	respBody, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))
	header := req.Header.Clone()
	header.Del("Content-Length")
	c.last = &request{path: req.URL.EscapedPath(), header: header, body: body, respHeader: resp.Header.Clone(), respBody: respBody}
	return resp, nil
}

// captureRequests sends, through the AWS SDK for Go, the two requests the benchmark
// replays to the emulator at base: a small Converse request, and a ConverseStream request
// whose default reply is exactly streamDeltas text deltas.
func captureRequests(ctx context.Context, base string) (converse, stream *request, err error) {
	cp := &capture{inner: &http.Client{}}
	brt := client.New(base, func(o *bedrockruntime.Options) { o.HTTPClient = cp; o.RetryMaxAttempts = 1 })

	_, err = brt.Converse(ctx, &bedrockruntime.ConverseInput{
		ModelId:         aws.String(modelID),
		System:          []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: "You are a concise assistant."}},
		Messages:        []types.Message{userText("What is the capital of France? Answer in one word.")},
		InferenceConfig: &types.InferenceConfiguration{MaxTokens: aws.Int32(512), Temperature: aws.Float32(0.5)},
	})
	if err != nil {
		return nil, nil, fmt.Errorf("Converse: %w", err)
	}
	converse = cp.last

	// The default reply quotes the user's words after a few of its own: find how many
	// words make streamDeltas one-word deltas.
	words := streamDeltas
	for range 4 {
		if stream, err = captureStream(ctx, brt, cp, words); err != nil {
			return nil, nil, err
		}
		deltas := countEvents(stream.frames, "contentBlockDelta")
		if deltas == streamDeltas {
			return converse, stream, nil
		}
		words += streamDeltas - deltas
	}
	return nil, nil, fmt.Errorf("no request found whose reply streams %d deltas", streamDeltas)
}

func captureStream(ctx context.Context, brt *bedrockruntime.Client, cp *capture, words int) (*request, error) {
	text := strings.TrimSpace(strings.Repeat("word ", words))
	out, err := brt.ConverseStream(ctx, &bedrockruntime.ConverseStreamInput{
		ModelId:  aws.String(modelID),
		Messages: []types.Message{userText(text)},
	})
	if err != nil {
		return nil, fmt.Errorf("ConverseStream: %w", err)
	}
	s := out.GetStream()
	for range s.Events() {
	}
	if err := s.Close(); err != nil {
		return nil, fmt.Errorf("ConverseStream: %w", err)
	}
	r := cp.last
	if r.frames, err = splitFrames(r.respBody); err != nil {
		return nil, err
	}
	return r, nil
}

func userText(s string) types.Message {
	return types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: s}}}
}

// splitFrames cuts an event stream into its messages, each checked by the SDK's decoder.
// A message's prelude begins with its total length (big-endian uint32).
func splitFrames(body []byte) ([][]byte, error) {
	var frames [][]byte
	dec := eventstream.NewDecoder()
	for len(body) > 0 {
		if len(body) < 4 {
			return nil, errors.New("event stream: truncated prelude")
		}
		n := int(binary.BigEndian.Uint32(body))
		if n < 16 || n > len(body) {
			return nil, fmt.Errorf("event stream: message length %d out of range", n)
		}
		if _, err := dec.Decode(bytes.NewReader(body[:n]), nil); err != nil {
			return nil, fmt.Errorf("event stream: %w", err)
		}
		frames = append(frames, body[:n])
		body = body[n:]
	}
	return frames, nil
}

// countEvents counts the frames of an event type.
func countEvents(frames [][]byte, typ string) int {
	n := 0
	dec := eventstream.NewDecoder()
	for _, f := range frames {
		msg, err := dec.Decode(bytes.NewReader(f), nil)
		if err != nil {
			continue
		}
		if v := msg.Headers.Get(":event-type"); v != nil && v.String() == typ {
			n++
		}
	}
	return n
}

// bareHandler is the reference: a bare net/http handler that drains the request and writes
// precomputed bytes, the headers and body the emulator answered r with (for a stream, its
// frames one by one, each flushed, as the emulator writes them).
func bareHandler(r *request) http.Handler {
	header := r.respHeader.Clone()
	header.Del("Date")
	if r.frames == nil {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			io.Copy(io.Discard, req.Body)
			for k, v := range header {
				w.Header()[k] = v
			}
			w.Write(r.respBody)
		})
	}
	header.Del("Content-Length")
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		io.Copy(io.Discard, req.Body)
		for k, v := range header {
			w.Header()[k] = v
		}
		f := w.(http.Flusher)
		for _, frame := range r.frames {
			w.Write(frame)
			f.Flush()
		}
	})
}

// bareEncodingHandler is bareHandler for a stream, but encoding each frame with the AWS SDK's
// event-stream encoder as it writes it, as the emulator must (it renders every reply anew):
// the ceiling for a server that encodes its frames.
func bareEncodingHandler(r *request) (http.Handler, error) {
	header := r.respHeader.Clone()
	header.Del("Date")
	header.Del("Content-Length")
	msgs := make([]eventstream.Message, len(r.frames))
	dec := eventstream.NewDecoder()
	for i, f := range r.frames {
		msg, err := dec.Decode(bytes.NewReader(f), nil)
		if err != nil {
			return nil, err
		}
		msgs[i] = eventstream.Message{Headers: msg.Headers.Clone(), Payload: bytes.Clone(msg.Payload)}
	}
	encoders := sync.Pool{New: func() any { return eventstream.NewEncoder() }}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		io.Copy(io.Discard, req.Body)
		for k, v := range header {
			w.Header()[k] = v
		}
		enc := encoders.Get().(*eventstream.Encoder)
		defer encoders.Put(enc)
		f := w.(http.Flusher)
		for _, msg := range msgs {
			enc.Encode(w, msg)
			f.Flush()
		}
	}), nil
}

// bare is a bare net/http server serving bareHandler on a loopback port.
type bare struct {
	URL string
	srv *http.Server
}

func startBare(r *request) (*bare, error) { return serve(bareHandler(r)) }

// serve serves h on a loopback port.
func serve(h http.Handler) (*bare, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b := &bare{URL: "http://" + ln.Addr().String(), srv: &http.Server{Handler: h}}
	go b.srv.Serve(ln)
	return b, nil
}

func (b *bare) Close() { b.srv.Close() }
