// Package testkit is the tests' one kit for talking to an emulator as a user would:
//
//   - messages: UserText, AssistantText, ToolResultText;
//   - SDK calls through the AWS SDK for Go v2: Client (one attempt per call), Converse,
//     ConverseStream, InvokeModelStream, with the test failed on a transport error, and
//     APIError / ErrorCode for a modeled error;
//   - stream collection: ConverseStream and ReadStream assemble a ConverseStream into a
//     Stream (text, deltas, reasoning, tool input, citations, stop reason, usage, trace, the
//     event sequence and the error it ended with); InvokeModelStream and ReadChunks gather
//     an InvokeModelWithResponseStream's chunks;
//   - a boto3 script run against an emulator (Boto3), skipped where boto3 is missing;
//   - the command built once per test binary (Main from TestMain, Binary) and run as a
//     process that prints its URL (Start);
//   - a headless Chromium driven by chromedp (Browser), for the web inspector's tests, and
//     Missing, the one way a test skips for a missing tool (or fails under CI);
//   - strings that YAML written by the project must read back as they were (YAMLTexts);
//   - the real Bedrock recordings under internal/cassette/testdata/real-traffic
//     (RealTraffic, ImportReal, SaveReal) and the secret scan of a written cassette
//     (CheckNoSecrets).
//
// It imports testing, so only tests may import it: the bedrock-emulator command must not
// link it (internal/repocheck's TestBinaryLinks checks).
//
// One client per goroutine: the SDK's event-stream decoder keeps per-client state, and
// streams read at once on goroutines that share a client race inside smithy-go under -race.
// Client is cheap; call it in each goroutine (or parallel subtest) that reads a stream.
package testkit

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/aws/smithy-go"

	"github.com/bedrock-emulator/bedrock-emulator/internal/sdkclient"
)

// Client returns a Go SDK Bedrock Runtime client for the emulator at url (as client.New makes it) that
// makes one attempt per call, so that a test sees every error the emulator sends; opts
// apply after, and may turn retries back on. Use one client per goroutine that reads
// streams (see the package doc).
func Client(url string, opts ...func(*bedrockruntime.Options)) *bedrockruntime.Client {
	return sdkclient.New(url, append([]func(*bedrockruntime.Options){NoRetry}, opts...)...)
}

// Bedrock returns a Go SDK client of the Bedrock control plane (the "bedrock" service) for
// the emulator at url, which serves its model and inference-profile calls on the runtime's
// port: the same endpoint, Region and credentials as Client, one attempt per call.
func Bedrock(url string, opts ...func(*bedrock.Options)) *bedrock.Client {
	return bedrock.New(bedrock.Options{BaseEndpoint: aws.String(url), Region: sdkclient.Region, RetryMaxAttempts: 1,
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEMULATOR", "emulator-secret", "")}, opts...)
}

// NoRetry is the client option that makes one attempt per call.
func NoRetry(o *bedrockruntime.Options) { o.RetryMaxAttempts = 1 }

// UserText is a user message of one text block.
func UserText(s string) types.Message {
	return types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: s}}}
}

// ToolResultText is a user message of one tool result: text, answering the tool use id.
func ToolResultText(id *string, text string) types.Message {
	return types.Message{Role: types.ConversationRoleUser, Content: []types.ContentBlock{
		&types.ContentBlockMemberToolResult{Value: types.ToolResultBlock{ToolUseId: id,
			Content: []types.ToolResultContentBlock{&types.ToolResultContentBlockMemberText{Value: text}}}}}}
}

// AssistantText is an assistant message of one text block.
func AssistantText(s string) types.Message {
	return types.Message{Role: types.ConversationRoleAssistant, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: s}}}
}

// Converse calls Converse and fails the test at once if the call fails.
func Converse(t testing.TB, c *bedrockruntime.Client, in *bedrockruntime.ConverseInput, opts ...func(*bedrockruntime.Options)) *bedrockruntime.ConverseOutput {
	t.Helper()
	out, err := c.Converse(context.Background(), in, opts...)
	if err != nil {
		t.Fatalf("Converse: %v", err)
	}
	return out
}

// Message returns the message of a Converse reply, failing the test at once if the output
// is not a message.
func Message(t testing.TB, out *bedrockruntime.ConverseOutput) types.Message {
	t.Helper()
	msg, ok := out.Output.(*types.ConverseOutputMemberMessage)
	if !ok {
		t.Fatalf("output is %T, want a message", out.Output)
	}
	return msg.Value
}

// ReplyText joins the text blocks of a Converse reply, and fails the test unless the reply
// is the assistant's message.
func ReplyText(t testing.TB, out *bedrockruntime.ConverseOutput) string {
	t.Helper()
	msg := Message(t, out)
	if msg.Role != types.ConversationRoleAssistant {
		t.Errorf("role = %q, want assistant", msg.Role)
	}
	var sb strings.Builder
	for _, b := range msg.Content {
		if tb, ok := b.(*types.ContentBlockMemberText); ok {
			sb.WriteString(tb.Value)
		}
	}
	return sb.String()
}

// Stream is what a ConverseStream delivered, decoded by the SDK.
type Stream struct {
	// Raw are the events, in order.
	Raw []types.ConverseStreamOutput
	// Events are the events' kinds, in order: "messageStart", "contentBlockStart",
	// "contentBlockDelta", "contentBlockStop", "messageStop", "metadata".
	Events []string
	// At is when each event came, since the call started (ConverseStream) or since the
	// stream was read (ReadStream).
	At []time.Duration
	// Deltas are the text deltas, and Text them concatenated, over all blocks.
	Deltas []string
	Text   string
	// Reasoning, Signature and Redacted are the reasoning deltas, concatenated.
	Reasoning, Signature string
	Redacted             []byte
	// ToolInput is the tool-use input deltas, concatenated, and ToolStart the start of the
	// last tool-use block.
	ToolInput string
	ToolStart *types.ToolUseBlockStart
	// Citations are the citation deltas.
	Citations []types.CitationsDelta
	// StopReason is messageStop's.
	StopReason types.StopReason
	// Usage, LatencyMs and Trace are metadata's (LatencyMs 0 without metrics).
	Usage     *types.TokenUsage
	LatencyMs int64
	Trace     *types.ConverseStreamTrace
	// Err is the error the stream ended with (stream.Err()), nil if it ended whole.
	Err error
}

// ConverseStream calls ConverseStream, failing the test at once if the call fails, and
// reads the stream to its end (ReadStream).
func ConverseStream(t testing.TB, c *bedrockruntime.Client, in *bedrockruntime.ConverseStreamInput, opts ...func(*bedrockruntime.Options)) Stream {
	t.Helper()
	start := time.Now()
	out, err := c.ConverseStream(context.Background(), in, opts...)
	if err != nil {
		t.Fatalf("ConverseStream: %v", err)
	}
	return readStream(t, out, start)
}

// ReadStream reads a ConverseStream answer to its end and closes it. An event of a kind it
// does not know fails the test.
func ReadStream(t testing.TB, out *bedrockruntime.ConverseStreamOutput) Stream {
	t.Helper()
	return readStream(t, out, time.Now())
}

func readStream(t testing.TB, out *bedrockruntime.ConverseStreamOutput, start time.Time) Stream {
	t.Helper()
	stream := out.GetStream()
	defer stream.Close()
	var r Stream
	for ev := range stream.Events() {
		r.Raw = append(r.Raw, ev)
		r.At = append(r.At, time.Since(start))
		switch e := ev.(type) {
		case *types.ConverseStreamOutputMemberMessageStart:
			r.Events = append(r.Events, "messageStart")
		case *types.ConverseStreamOutputMemberContentBlockStart:
			r.Events = append(r.Events, "contentBlockStart")
			if s, ok := e.Value.Start.(*types.ContentBlockStartMemberToolUse); ok {
				r.ToolStart = &s.Value
			}
		case *types.ConverseStreamOutputMemberContentBlockDelta:
			r.Events = append(r.Events, "contentBlockDelta")
			r.delta(e.Value.Delta)
		case *types.ConverseStreamOutputMemberContentBlockStop:
			r.Events = append(r.Events, "contentBlockStop")
		case *types.ConverseStreamOutputMemberMessageStop:
			r.Events = append(r.Events, "messageStop")
			r.StopReason = e.Value.StopReason
		case *types.ConverseStreamOutputMemberMetadata:
			r.Events = append(r.Events, "metadata")
			r.Usage = e.Value.Usage
			r.Trace = e.Value.Trace
			if e.Value.Metrics != nil {
				r.LatencyMs = aws.ToInt64(e.Value.Metrics.LatencyMs)
			}
		default:
			t.Errorf("unexpected event %T", ev)
		}
	}
	r.Err = stream.Err()
	return r
}

func (r *Stream) delta(d types.ContentBlockDelta) {
	switch d := d.(type) {
	case *types.ContentBlockDeltaMemberText:
		r.Text += d.Value
		r.Deltas = append(r.Deltas, d.Value)
	case *types.ContentBlockDeltaMemberToolUse:
		r.ToolInput += aws.ToString(d.Value.Input)
	case *types.ContentBlockDeltaMemberCitation:
		r.Citations = append(r.Citations, d.Value)
	case *types.ContentBlockDeltaMemberReasoningContent:
		switch rc := d.Value.(type) {
		case *types.ReasoningContentBlockDeltaMemberText:
			r.Reasoning += rc.Value
		case *types.ReasoningContentBlockDeltaMemberSignature:
			r.Signature += rc.Value
		case *types.ReasoningContentBlockDeltaMemberRedactedContent:
			r.Redacted = append(r.Redacted, rc.Value...)
		}
	}
}

// Chunks is what an InvokeModelWithResponseStream delivered: the chunks' bytes, in order,
// and the error the stream ended with.
type Chunks struct {
	Chunks [][]byte
	Err    error
}

// InvokeModelStream calls InvokeModelWithResponseStream, failing the test at once if the
// call fails, and reads the stream to its end (ReadChunks).
func InvokeModelStream(t testing.TB, c *bedrockruntime.Client, in *bedrockruntime.InvokeModelWithResponseStreamInput, opts ...func(*bedrockruntime.Options)) Chunks {
	t.Helper()
	out, err := c.InvokeModelWithResponseStream(context.Background(), in, opts...)
	if err != nil {
		t.Fatalf("InvokeModelWithResponseStream: %v", err)
	}
	return ReadChunks(t, out)
}

// ReadChunks reads an InvokeModelWithResponseStream answer to its end and closes it. An
// event that is not a chunk fails the test.
func ReadChunks(t testing.TB, out *bedrockruntime.InvokeModelWithResponseStreamOutput) Chunks {
	t.Helper()
	stream := out.GetStream()
	defer stream.Close()
	var r Chunks
	for ev := range stream.Events() {
		c, ok := ev.(*types.ResponseStreamMemberChunk)
		if !ok {
			t.Errorf("unexpected event %T", ev)
			continue
		}
		r.Chunks = append(r.Chunks, c.Value.Bytes)
	}
	r.Err = stream.Err()
	return r
}

// APIError returns err's code and message as the SDK decoded them, failing the test at
// once if err is not a modeled API error.
func APIError(t testing.TB, err error) (code, message string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("error %v (%T) is not an API error", err, err)
	}
	return ae.ErrorCode(), ae.ErrorMessage()
}

// ErrorCode is err's API error code, "" if it is not a modeled API error.
func ErrorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}
