package emulator

import (
	"context"
	"encoding/json"
	"net/http"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream/eventstreamapi"
)

// ConverseStream event payloads. As in Converse, keys are in lexicographic order, and every
// event payload carries Bedrock's "p" padding field in its sorted place (GROUND-TRUTH §3.3).

type evMessageStart struct {
	P    string `json:"p"`
	Role string `json:"role"`
}

type evBlockStart struct {
	ContentBlockIndex int          `json:"contentBlockIndex"`
	P                 string       `json:"p"`
	Start             wireStartDef `json:"start"`
}

type wireStartDef struct {
	ToolUse *wireToolUseStart `json:"toolUse,omitempty"`
}

type wireToolUseStart struct {
	Name      string `json:"name"`
	ToolUseID string `json:"toolUseId"`
}

type evBlockDelta struct {
	ContentBlockIndex int       `json:"contentBlockIndex"`
	Delta             wireDelta `json:"delta"`
	P                 string    `json:"p"`
}

type wireDelta struct {
	ReasoningContent *wireReasoningDelta `json:"reasoningContent,omitempty"`
	Text             *string             `json:"text,omitempty"`
	ToolUse          *wireToolUseDelta   `json:"toolUse,omitempty"`
}

type wireReasoningDelta struct {
	RedactedContent []byte  `json:"redactedContent,omitempty"`
	Signature       *string `json:"signature,omitempty"`
	Text            *string `json:"text,omitempty"`
}

type wireToolUseDelta struct {
	Input string `json:"input"`
}

type evBlockStop struct {
	ContentBlockIndex int    `json:"contentBlockIndex"`
	P                 string `json:"p"`
}

type evMessageStop struct {
	AdditionalModelResponseFields json.RawMessage `json:"additionalModelResponseFields,omitempty"`
	P                             string          `json:"p"`
	StopReason                    string          `json:"stopReason"`
}

type evMetadata struct {
	Metrics           wireMetrics        `json:"metrics"`
	P                 string             `json:"p"`
	PerformanceConfig *PerformanceConfig `json:"performanceConfig,omitempty"`
	ServiceTier       *ServiceTier       `json:"serviceTier,omitempty"`
	Trace             json.RawMessage    `json:"trace,omitempty"`
	Usage             wireUsage          `json:"usage"`
}

// event is one event frame: its :event-type and JSON payload.
type event struct {
	Type    string
	Payload []byte
	// delta marks content deltas, which StreamShape.PerDelta paces.
	delta bool
}

// streamEvents renders r as ConverseStream events in Bedrock's grammar (GROUND-TRUTH §3.4):
// messageStart; per block, contentBlockStart (tool use only), deltas, contentBlockStop;
// messageStop; metadata last.
func streamEvents(r *Reply, usage Usage) []event {
	var evs []event
	add := func(typ string, delta bool, build func(p string) any) {
		p := padding(len(evs))
		evs = append(evs, event{Type: typ, Payload: encodeJSON(build(p)), delta: delta})
	}
	addDelta := func(i int, d wireDelta) {
		add("contentBlockDelta", true, func(p string) any { return evBlockDelta{ContentBlockIndex: i, Delta: d, P: p} })
	}

	add("messageStart", false, func(p string) any { return evMessageStart{P: p, Role: RoleAssistant} })
	for i, b := range r.Content {
		switch {
		case b.ToolUse != nil:
			start := wireStartDef{ToolUse: &wireToolUseStart{Name: b.ToolUse.Name, ToolUseID: b.ToolUse.ToolUseID}}
			add("contentBlockStart", false, func(p string) any { return evBlockStart{ContentBlockIndex: i, P: p, Start: start} })
			for _, part := range splitBytes(string(compactJSON(b.ToolUse.input())), 24) {
				addDelta(i, wireDelta{ToolUse: &wireToolUseDelta{Input: part}})
			}
		case b.Reasoning != nil && b.Reasoning.Redacted != nil:
			addDelta(i, wireDelta{ReasoningContent: &wireReasoningDelta{RedactedContent: b.Reasoning.Redacted}})
		case b.Reasoning != nil:
			for _, part := range splitWords(b.Reasoning.Text, r.Stream.WordsPerDelta) {
				addDelta(i, wireDelta{ReasoningContent: &wireReasoningDelta{Text: &part}})
			}
			if sig := b.Reasoning.Signature; sig != "" {
				addDelta(i, wireDelta{ReasoningContent: &wireReasoningDelta{Signature: &sig}})
			}
		default:
			text := ""
			if b.Text != nil {
				text = *b.Text
			}
			for _, part := range splitWords(text, r.Stream.WordsPerDelta) {
				addDelta(i, wireDelta{Text: &part})
			}
		}
		add("contentBlockStop", false, func(p string) any { return evBlockStop{ContentBlockIndex: i, P: p} })
	}
	add("messageStop", false, func(p string) any {
		return evMessageStop{AdditionalModelResponseFields: r.AdditionalModelResponseFields, P: p, StopReason: r.stopReason()}
	})
	add("metadata", false, func(p string) any {
		return evMetadata{
			Metrics: wireMetrics{LatencyMs: r.LatencyMs}, P: p,
			PerformanceConfig: r.PerformanceConfig, ServiceTier: r.ServiceTier,
			Trace: r.Trace, Usage: usage.wire(),
		}
	})
	return evs
}

const paddingAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// padding is the "p" value of the n-th event: like Bedrock's, a prefix of a–z A–Z 0–9 of
// length 2 to 61 (GROUND-TRUTH §3.3); unlike Bedrock's, deterministic.
func padding(n int) string {
	return paddingAlphabet[:2+(n*17+5)%60]
}

// splitWords cuts text into deltas of n words each (n ≤ 0 means 1), each word carrying the
// white space before it, so the deltas concatenate to text exactly. Empty text is one empty
// delta, as models send.
func splitWords(text string, n int) []string {
	if n <= 0 {
		n = 1
	}
	var parts []string
	start, words, inWord := 0, 0, false
	for i, r := range text {
		space := unicode.IsSpace(r)
		if inWord && space {
			words++
			if words == n {
				parts = append(parts, text[start:i])
				start, words = i, 0
			}
		}
		inWord = !space
	}
	if start < len(text) || len(parts) == 0 {
		parts = append(parts, text[start:])
	}
	return parts
}

// splitBytes cuts s into pieces of at most n bytes, on UTF-8 boundaries.
func splitBytes(s string, n int) []string {
	var parts []string
	for len(s) > n {
		cut := n
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		if cut == 0 {
			cut = n
		}
		parts = append(parts, s[:cut])
		s = s[cut:]
	}
	return append(parts, s)
}

// writeStream writes evs as an event stream, flushing after every frame and pacing them as
// shape says. It stops early, with an exception frame, when shape.Fail is set, and returns
// when the client goes away.
func writeStream(ctx context.Context, w http.ResponseWriter, evs []event, shape StreamShape) {
	h := w.Header()
	h.Set("Content-Type", "application/vnd.amazon.eventstream")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	enc := eventstream.NewEncoder()
	write := func(msg eventstream.Message) bool {
		if err := enc.Encode(w, msg); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	for n, ev := range evs {
		if shape.Fail != nil && n == shape.FailAfter {
			write(exceptionFrame(shape.Fail))
			return
		}
		delay := time.Duration(0)
		if n == 0 {
			delay = shape.FirstByte
		} else if ev.delta {
			delay = shape.PerDelta
		}
		if delay > 0 && !sleep(ctx, delay) {
			return
		}
		if !write(eventFrame(ev.Type, ev.Payload)) {
			return
		}
	}
	if shape.Fail != nil && shape.FailAfter >= len(evs) {
		write(exceptionFrame(shape.Fail))
	}
}

// eventFrame is an event message: three string headers in Bedrock's order (GROUND-TRUTH §3.2).
func eventFrame(typ string, payload []byte) eventstream.Message {
	var h eventstream.Headers
	h.Set(eventstreamapi.EventTypeHeader, eventstream.StringValue(typ))
	h.Set(eventstreamapi.ContentTypeHeader, eventstream.StringValue("application/json"))
	h.Set(eventstreamapi.MessageTypeHeader, eventstream.StringValue(eventstreamapi.EventMessageType))
	return eventstream.Message{Headers: h, Payload: payload}
}

// exceptionFrame is an exception message: :exception-type (the lowerCamel member name),
// :content-type, :message-type, and a {"message":…} payload without "p" (GROUND-TRUTH §3.2).
func exceptionFrame(e *Error) eventstream.Message {
	var h eventstream.Headers
	h.Set(eventstreamapi.ExceptionTypeHeader, eventstream.StringValue(streamExceptionName(e.Type)))
	h.Set(eventstreamapi.ContentTypeHeader, eventstream.StringValue("application/json"))
	h.Set(eventstreamapi.MessageTypeHeader, eventstream.StringValue(eventstreamapi.ExceptionMessageType))
	return eventstream.Message{Headers: h, Payload: errorBody(e)}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
