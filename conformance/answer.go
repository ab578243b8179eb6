package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	smithydoc "github.com/aws/smithy-go/document"

	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
)

// Answer is what one call got back, as the SDK decoded it and as it was on the wire.
type Answer struct {
	// Operation is "Converse", "ConverseStream" or a Call's; ModelID the model it was sent
	// to.
	Operation string
	ModelID   string
	// Input is the request as sent (ConverseStream takes the same fields).
	Input *bedrockruntime.ConverseInput

	// Status, Header and Body are the HTTP response of the last attempt. Body holds the
	// bytes the SDK read: the JSON body, or the event stream up to where decoding stopped.
	Status int
	Header http.Header
	Body   []byte

	// Err is the error the call or the stream ended with, nil on success.
	Err error
	// Output is the Converse output (nil for a stream or an error).
	Output *bedrockruntime.ConverseOutput
	// Events are the ConverseStream events in the order they came.
	Events []types.ConverseStreamOutput

	// Message is the assistant message: Converse's output, or assembled from the stream's
	// deltas. Blocks is the same content in a form both encodings share.
	Message    types.Message
	Blocks     []Block
	StopReason types.StopReason
	Usage      *types.TokenUsage
	// LatencyMs is metrics.latencyMs, or -1 when the answer has none.
	LatencyMs int64
	// Trace is the guardrail trace, when the answer has one.
	Trace *types.ConverseTrace

	// Result is the output of a Call step, as its Do returned it.
	Result any
}

// Block kinds.
const (
	BlockText       = "text"
	BlockToolUse    = "toolUse"
	BlockReasoning  = "reasoningContent"
	BlockToolResult = "toolResult"
	BlockOther      = "other"
)

// Block is one content block of an answer.
type Block struct {
	// Type is BlockText, BlockToolUse, BlockReasoning, BlockToolResult or BlockOther.
	Type string
	// Text is the text of a text or reasoning block.
	Text string
	// ToolUseID and Name identify a tool call; Input is its input as JSON (for a stream,
	// the concatenated input deltas, which need not be valid JSON on a broken server).
	ToolUseID, Name string
	Input           json.RawMessage
}

// call sends one request to the target and gathers the answer: what the service
// answered, errors included, or the error that kept the call from being made.
func call(ctx context.Context, t *Target, s *Step, in *bedrockruntime.ConverseInput) *Answer {
	rec := &capture{}
	opts := append(append([]func(*bedrockruntime.Options){}, s.Request.Options...), func(o *bedrockruntime.Options) {
		rec.next = o.HTTPClient
		o.HTTPClient = rec
	})
	c := t.newClient()
	a := &Answer{Operation: api.Converse, ModelID: aws.ToString(in.ModelId), Input: in, LatencyMs: -1}
	switch {
	case s.Call != nil:
		a.Operation = s.Call.Operation
		a.Result, a.Err = s.Call.Do(ctx, c, in, opts...)
	case s.Stream:
		a.Operation = api.ConverseStream
		converseStream(ctx, c, in, opts, a)
	default:
		a.Output, a.Err = c.Converse(ctx, in, opts...)
		if a.Output != nil {
			a.fromOutput(a.Output)
		}
	}
	a.Status, a.Header, a.Body = rec.result()
	return a
}

func (a *Answer) fromOutput(out *bedrockruntime.ConverseOutput) {
	if m, ok := out.Output.(*types.ConverseOutputMemberMessage); ok {
		a.Message = m.Value
		for _, b := range m.Value.Content {
			a.Blocks = append(a.Blocks, blockOf(b))
		}
	}
	a.StopReason = out.StopReason
	a.Usage = out.Usage
	if out.Metrics != nil && out.Metrics.LatencyMs != nil {
		a.LatencyMs = *out.Metrics.LatencyMs
	}
	a.Trace = out.Trace
}

func blockOf(b types.ContentBlock) Block {
	switch v := b.(type) {
	case *types.ContentBlockMemberText:
		return Block{Type: BlockText, Text: v.Value}
	case *types.ContentBlockMemberToolUse:
		blk := Block{Type: BlockToolUse, ToolUseID: aws.ToString(v.Value.ToolUseId), Name: aws.ToString(v.Value.Name)}
		if v.Value.Input != nil {
			blk.Input, _ = v.Value.Input.MarshalSmithyDocument()
		}
		return blk
	case *types.ContentBlockMemberReasoningContent:
		blk := Block{Type: BlockReasoning}
		if r, ok := v.Value.(*types.ReasoningContentBlockMemberReasoningText); ok {
			blk.Text = aws.ToString(r.Value.Text)
		}
		return blk
	case *types.ContentBlockMemberToolResult:
		return Block{Type: BlockToolResult, ToolUseID: aws.ToString(v.Value.ToolUseId)}
	}
	return Block{Type: BlockOther}
}

func converseStream(ctx context.Context, c *bedrockruntime.Client, in *bedrockruntime.ConverseInput, opts []func(*bedrockruntime.Options), a *Answer) {
	out, err := c.ConverseStream(ctx, streamInput(in), opts...)
	if err != nil {
		a.Err = err
		return
	}
	s := out.GetStream()
	for ev := range s.Events() {
		a.Events = append(a.Events, ev)
	}
	a.Err = s.Err()
	s.Close()
	a.assemble()
}

// streamInput is the ConverseStream form of a Converse request.
func streamInput(in *bedrockruntime.ConverseInput) *bedrockruntime.ConverseStreamInput {
	out := &bedrockruntime.ConverseStreamInput{
		ModelId:                           in.ModelId,
		AdditionalModelRequestFields:      in.AdditionalModelRequestFields,
		AdditionalModelResponseFieldPaths: in.AdditionalModelResponseFieldPaths,
		InferenceConfig:                   in.InferenceConfig,
		Messages:                          in.Messages,
		OutputConfig:                      in.OutputConfig,
		PerformanceConfig:                 in.PerformanceConfig,
		PromptVariables:                   in.PromptVariables,
		RequestMetadata:                   in.RequestMetadata,
		ServiceTier:                       in.ServiceTier,
		System:                            in.System,
		ToolConfig:                        in.ToolConfig,
	}
	if g := in.GuardrailConfig; g != nil {
		out.GuardrailConfig = &types.GuardrailStreamConfiguration{
			GuardrailIdentifier: g.GuardrailIdentifier,
			GuardrailVersion:    g.GuardrailVersion,
			Trace:               g.Trace,
		}
	}
	return out
}

// assemble builds the message, stop reason, usage and latency of a stream from its events,
// as a client would: text and tool input deltas concatenated per block index.
func (a *Answer) assemble() {
	byIndex := map[int32]int{}
	block := func(i int32) *Block {
		if n, ok := byIndex[i]; ok {
			return &a.Blocks[n]
		}
		byIndex[i] = len(a.Blocks)
		a.Blocks = append(a.Blocks, Block{Type: BlockText})
		return &a.Blocks[len(a.Blocks)-1]
	}
	for _, ev := range a.Events {
		switch e := ev.(type) {
		case *types.ConverseStreamOutputMemberContentBlockStart:
			b := block(aws.ToInt32(e.Value.ContentBlockIndex))
			switch s := e.Value.Start.(type) {
			case *types.ContentBlockStartMemberToolUse:
				b.Type, b.ToolUseID, b.Name = BlockToolUse, aws.ToString(s.Value.ToolUseId), aws.ToString(s.Value.Name)
			case *types.ContentBlockStartMemberToolResult:
				b.Type, b.ToolUseID = BlockToolResult, aws.ToString(s.Value.ToolUseId)
			default:
				b.Type = BlockOther
			}
		case *types.ConverseStreamOutputMemberContentBlockDelta:
			b := block(aws.ToInt32(e.Value.ContentBlockIndex))
			switch d := e.Value.Delta.(type) {
			case *types.ContentBlockDeltaMemberText:
				b.Text += d.Value
			case *types.ContentBlockDeltaMemberToolUse:
				b.Input = append(b.Input, aws.ToString(d.Value.Input)...)
			case *types.ContentBlockDeltaMemberReasoningContent:
				b.Type = BlockReasoning
				if t, ok := d.Value.(*types.ReasoningContentBlockDeltaMemberText); ok {
					b.Text += t.Value
				}
			}
		case *types.ConverseStreamOutputMemberMessageStop:
			a.StopReason = e.Value.StopReason
		case *types.ConverseStreamOutputMemberMetadata:
			a.Usage = e.Value.Usage
			if e.Value.Metrics != nil && e.Value.Metrics.LatencyMs != nil {
				a.LatencyMs = *e.Value.Metrics.LatencyMs
			}
			if e.Value.Trace != nil {
				a.Trace = &types.ConverseTrace{Guardrail: e.Value.Trace.Guardrail, PromptRouter: e.Value.Trace.PromptRouter}
			}
		}
	}
	a.Message = types.Message{Role: types.ConversationRoleAssistant}
	for _, b := range a.Blocks {
		switch b.Type {
		case BlockText:
			a.Message.Content = append(a.Message.Content, &types.ContentBlockMemberText{Value: b.Text})
		case BlockToolUse:
			a.Message.Content = append(a.Message.Content, &types.ContentBlockMemberToolUse{Value: types.ToolUseBlock{
				ToolUseId: aws.String(b.ToolUseID), Name: aws.String(b.Name), Input: rawDoc(b.Input),
			}})
		case BlockReasoning:
			a.Message.Content = append(a.Message.Content, &types.ContentBlockMemberReasoningContent{
				Value: &types.ReasoningContentBlockMemberReasoningText{Value: types.ReasoningTextBlock{Text: aws.String(b.Text)}},
			})
		}
	}
}

// rawDoc is a document holding JSON text; invalid JSON becomes an empty object.
func rawDoc(raw json.RawMessage) document.Interface {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		v = map[string]any{}
	}
	return document.NewLazyDocument(v)
}

// ErrorCode returns the error code and message of an answer that failed with an API error
// ("" when it did not).
func (a *Answer) ErrorCode() (code, message string) {
	var ae interface {
		ErrorCode() string
		ErrorMessage() string
	}
	if errors.As(a.Err, &ae) {
		return ae.ErrorCode(), ae.ErrorMessage()
	}
	return "", ""
}

// Text joins the answer's text blocks.
func (a *Answer) Text() string {
	var sb strings.Builder
	for _, b := range a.Blocks {
		if b.Type == BlockText {
			sb.WriteString(b.Text)
		}
	}
	return sb.String()
}

// summary says in a few words what the answer was, for failure messages.
func (a *Answer) summary() string {
	if a.Err != nil {
		if code, msg := a.ErrorCode(); code != "" {
			return fmt.Sprintf("%s (HTTP %d): %q", code, a.Status, msg)
		}
		return a.Err.Error()
	}
	return fmt.Sprintf("a %d answer, stopReason %s", a.Status, a.StopReason)
}

// capture is an HTTP client that keeps the response of the last request it sends, and the
// bytes of its body as they are read.
type capture struct {
	next interface {
		Do(*http.Request) (*http.Response, error)
	}

	mu     sync.Mutex
	status int
	header http.Header
	body   *bytes.Buffer
}

// Do sends req with the client underneath, and records the response.
//
// The request body is sent from a copy: smithy-go closes the body it built as soon as the
// response headers arrive, and net/http's last check for extra body bytes can come after
// that and fail, against a server as fast as a local one; net/http then closes the
// connection under a ConverseStream ("use of closed network connection"). client.Endpoint
// guards the emulator targets the same way; the copy guards every target.
func (c *capture) Do(req *http.Request) (*http.Response, error) {
	next := c.next
	if next == nil {
		next = http.DefaultClient
	}
	if req.Body != nil && req.Body != http.NoBody {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	resp, err := next.Do(req)
	if err != nil {
		return resp, err
	}
	buf := &bytes.Buffer{}
	c.mu.Lock()
	c.status, c.header, c.body = resp.StatusCode, resp.Header.Clone(), buf
	c.mu.Unlock()
	resp.Body = &teeBody{r: resp.Body, c: c, buf: buf}
	return resp, nil
}

func (c *capture) result() (int, http.Header, []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.body == nil {
		return 0, nil, nil
	}
	return c.status, c.header, bytes.Clone(c.body.Bytes())
}

// teeBody copies what is read from a response body into the capture's buffer.
type teeBody struct {
	r   io.ReadCloser
	c   *capture
	buf *bytes.Buffer
}

func (t *teeBody) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.c.mu.Lock()
	t.buf.Write(p[:n])
	t.c.mu.Unlock()
	return n, err
}

func (t *teeBody) Close() error { return t.r.Close() }

// docJSON renders a smithy document value as JSON, or nil.
func docJSON(d smithydoc.Marshaler) json.RawMessage {
	if d == nil {
		return nil
	}
	b, err := d.MarshalSmithyDocument()
	if err != nil {
		return nil
	}
	return b
}
