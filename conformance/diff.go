package conformance

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"

	"github.com/bedrock-emulator/bedrock-emulator/internal/jsondiff"
)

// Difference is how two targets answered one case.
type Difference struct {
	// Case is the case's name.
	Case string `json:"case"`
	// A and B are the case's results on the two targets.
	A Result `json:"a"`
	B Result `json:"b"`
	// Diff is, step by step, how the answers differ in structure (-A +B): a line per value
	// and side, after its path; empty when they do not.
	Diff string `json:"diff,omitempty"`
}

// Diff runs cases against targets a and b at once and compares their answers step by
// step in structure: HTTP status, Content-Type and x-amzn-ErrorType; the JSON body's
// members and their kinds, or the stream's events with their payloads (a run of deltas of
// one block counts as one; InvokeModelWithResponseStream's chunks are decoded, and a run
// of chunks with the same members counts as one). What legitimately differs between two
// correct answers is ignored: text, IDs, signatures, padding, latency, token counts, tool
// input values, and the insides of guardrail traces. Error messages are compared exactly.
//
// When either target caps maxTokens, both do, so that they get the same requests.
func Diff(ctx context.Context, a, b *Target, cases []Case) []Difference {
	ca, cb := *a, *b
	capTokens := max(a.MaxTokens, b.MaxTokens)
	if a.MaxTokens > 0 && b.MaxTokens > 0 {
		capTokens = min(a.MaxTokens, b.MaxTokens)
	}
	ca.MaxTokens, cb.MaxTokens = capTokens, capTokens
	var ra, rb []Result
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); ra = Run(ctx, &ca, cases) }()
	go func() { defer wg.Done(); rb = Run(ctx, &cb, cases) }()
	wg.Wait()
	out := make([]Difference, len(cases))
	for i := range cases {
		out[i] = Difference{Case: cases[i].Name, A: ra[i], B: rb[i], Diff: diffAnswers(ra[i].Answers, rb[i].Answers)}
	}
	return out
}

func diffAnswers(as, bs []*Answer) string {
	var sb strings.Builder
	for i := 0; i < max(len(as), len(bs)); i++ {
		switch {
		case i >= len(as):
			fmt.Fprintf(&sb, "step %d: only B answered\n", i+1)
		case i >= len(bs):
			fmt.Fprintf(&sb, "step %d: only A answered\n", i+1)
		default:
			if d := jsondiff.Format(jsondiff.Diff("", shapeOf(as[i]).value(), shapeOf(bs[i]).value(), kindOnlyComparer)); d != "" {
				fmt.Fprintf(&sb, "step %d (-A +B):\n%s", i+1, d)
			}
		}
	}
	return sb.String()
}

// shape is the structure of an answer, the values that may differ left in.
type shape struct {
	Status      int
	ContentType string
	ErrorType   string
	// Body is the JSON body, decoded (not for streams).
	Body any
	// Events are a stream's events: {":event-type" or ":exception-type": payload}.
	Events []any
}

// value is the shape as a JSON value to diff, its fields by their Go names.
func (s shape) value() map[string]any {
	return map[string]any{"Status": s.Status, "ContentType": s.ContentType, "ErrorType": s.ErrorType, "Body": s.Body, "Events": s.Events}
}

func shapeOf(a *Answer) shape {
	s := shape{Status: a.Status, ContentType: a.Header.Get("Content-Type"), ErrorType: a.Header.Get("X-Amzn-ErrorType")}
	if s.ContentType != "application/vnd.amazon.eventstream" {
		if v, err := decodeJSON(a.Body); err == nil {
			s.Body = v
		} else {
			s.Body = string(a.Body)
		}
		return s
	}
	dec := eventstream.NewDecoder()
	prevKey := ""
	for r := bytes.NewReader(a.Body); r.Len() > 0; {
		msg, err := dec.Decode(r, nil)
		if err != nil {
			s.Events = append(s.Events, "undecodable frame: "+err.Error())
			break
		}
		typ := ""
		for _, h := range msg.Headers {
			if h.Name == ":event-type" || h.Name == ":exception-type" {
				typ = h.Value.String()
			}
		}
		payload, err := decodeJSON(msg.Payload)
		if err != nil {
			payload = string(msg.Payload)
		}
		if typ == "chunk" {
			payload = decodeChunk(payload)
		}
		// A run of deltas of one block and kind is one event: models cut text differently.
		if key := deltaKey(typ, payload); key != "" && key == prevKey {
			continue
		} else {
			prevKey = key
		}
		s.Events = append(s.Events, map[string]any{typ: payload})
	}
	return s
}

// deltaKey identifies the block and kind of a contentBlockDelta payload, and the members
// (and Anthropic type) of an InvokeModelWithResponseStream chunk; "" for other events.
func deltaKey(typ string, payload any) string {
	p, ok := payload.(map[string]any)
	if typ == "chunk" && ok {
		chunk, _ := p["bytes"].(map[string]any)
		keys := slices.Sorted(maps.Keys(chunk))
		return fmt.Sprint("chunk", keys, chunk["type"])
	}
	if typ != "contentBlockDelta" || !ok {
		return ""
	}
	kinds := ""
	if d, ok := p["delta"].(map[string]any); ok {
		for k := range d {
			kinds += k
		}
	}
	return fmt.Sprint(p["contentBlockIndex"], kinds)
}

// decodeChunk replaces the base64 bytes of an InvokeModelWithResponseStream chunk
// payload with the JSON they hold.
func decodeChunk(payload any) any {
	p, ok := payload.(map[string]any)
	if !ok {
		return payload
	}
	s, _ := p["bytes"].(string)
	raw, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return payload
	}
	v, err := decodeJSON(raw)
	if err != nil {
		return payload
	}
	out := maps.Clone(p)
	out["bytes"] = v
	return out
}

// kindOnly are the members whose values two correct answers may differ in; only their
// JSON kind is compared.
var kindOnly = map[string]bool{
	"text": true, "toolUseId": true, "signature": true, "redactedContent": true, "p": true,
	"latencyMs": true, "input": true, "trace": true, "additionalModelResponseFields": true,
	"inputTokens": true, "outputTokens": true, "totalTokens": true,
	"cacheReadInputTokens": true, "cacheWriteInputTokens": true,
	"cacheReadInputTokenCount": true, "cacheWriteInputTokenCount": true,
	// InvokeModel's native bodies and chunks.
	"id": true, "generation_id": true, "response_id": true, "outputText": true, "generation": true, "chat_history": true,
	"input_tokens": true, "output_tokens": true, "inputTextTokenCount": true, "tokenCount": true,
	"totalOutputTextTokenCount": true, "prompt_token_count": true, "generation_token_count": true,
	"inputTokenCount": true, "outputTokenCount": true, "invocationLatency": true, "firstByteLatency": true,
	// The control plane's guardrails.
	"guardrailId": true, "guardrailArn": true, "createdAt": true, "updatedAt": true,
}

// kindOnlyComparer compares the values of the kindOnly members by their JSON kind.
func kindOnlyComparer(key string, x, y any) (equal, handled bool) {
	if !kindOnly[key] {
		return false, false
	}
	return jsonKind(x) == jsonKind(y), true
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	}
	return "number"
}

// WriteDiff writes differences as a table (case, outcome on A, outcome on B, whether the
// answers differ), then each difference in full.
func WriteDiff(w io.Writer, nameA, nameB string, diffs []Difference) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "CASE\tA\tB\tSTRUCTURE\n")
	for _, d := range diffs {
		same := "same"
		if d.Diff != "" {
			same = "differs"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d.Case, d.A.Outcome, d.B.Outcome, same)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nA: %s\nB: %s\n", nameA, nameB)
	for _, d := range diffs {
		if d.Diff != "" {
			fmt.Fprintf(w, "\n== %s\n%s", d.Case, d.Diff)
		}
		for _, r := range []struct {
			side string
			res  Result
		}{{"A", d.A}, {"B", d.B}} {
			if r.res.Outcome == Fail {
				fmt.Fprintf(w, "\n== %s fails on %s: %s\n", d.Case, r.side, r.res.Why)
			}
		}
	}
	return nil
}

// WriteDiffJSON writes differences as a JSON object {"a":…, "b":…, "cases":[…]}.
func WriteDiffJSON(w io.Writer, nameA, nameB string, diffs []Difference) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(struct {
		A     string       `json:"a"`
		B     string       `json:"b"`
		Cases []Difference `json:"cases"`
	}{nameA, nameB, diffs})
}
