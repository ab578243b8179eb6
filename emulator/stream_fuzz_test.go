package emulator

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
)

// FuzzStreamRoundTrip renders replies of arbitrary text, reasoning and tool input as
// ConverseStream frames, encodes them with the SDK's encoder and decodes them with its
// decoder: every frame must come back whole, with Bedrock's three headers, a JSON payload and
// its "p", in Bedrock's event order; the deltas must add up to the Converse reply; and an
// exception frame must carry the error. Seeds: the f.Add calls and
// testdata/fuzz/FuzzStreamRoundTrip.
func FuzzStreamRoundTrip(f *testing.F) {
	f.Add("Hello there, world.", "", []byte(`{"city":"Zürich"}`), 1, "ThrottlingException", "Too many requests, please wait before trying again.")
	f.Add("", "thinking\nhard", []byte(`{}`), 3, "ModelStreamErrorException", "")
	f.Add("  spaces   and\ttabs\n", "", []byte(`not json`), 0, "", "")
	f.Add("ünïcödé 😀 \u2028 <b>&amp;</b> \"quotes\" \\", "x", []byte(`{"a":[1,2,{"b":null}],"s":"`+"\u00e9\u4e16"+`"}`), 100, "InternalServerException", "ü \" \\ \n")
	f.Fuzz(func(t *testing.T, text, reasoning string, input []byte, words int, errType, errMsg string) {
		r := &Reply{Content: []Block{TextBlock(text)}, Stream: StreamShape{WordsPerDelta: words % 50}}
		if reasoning != "" {
			r.Content = append([]Block{{Reasoning: &Reasoning{Text: reasoning, Signature: "sig"}}}, r.Content...)
		}
		if bytes.HasPrefix(bytes.TrimSpace(input), []byte("{")) {
			r.Content = append(r.Content, Block{ToolUse: &ToolUse{ToolUseID: "tooluse_x", Name: "f", Input: input}})
		}
		if r.check() != nil {
			return // the emulator answers an InternalServerException instead
		}
		usage := Usage{InputTokens: 1, OutputTokens: 2}

		var wire bytes.Buffer
		enc := eventstream.NewEncoder()
		var evs []event
		for ev := range streamEvents(r, usage, usageShape{}) {
			ev.Payload = bytes.Clone(ev.Payload) // valid only until the next event
			evs = append(evs, ev)
		}
		for _, ev := range evs {
			if err := enc.Encode(&wire, eventFrame(ev.Type, ev.Payload)); err != nil {
				t.Fatalf("encode %s: %v", ev.Type, err)
			}
		}
		if e, err := NewError(errType, errMsg); err == nil {
			if err := enc.Encode(&wire, exceptionFrame(e)); err != nil {
				t.Fatalf("encode the exception: %v", err)
			}
			evs = append(evs, event{Type: "exception " + streamExceptionName(e.Type), Payload: errorBody(e)})
		}

		dec := eventstream.NewDecoder()
		var texts, reasonings, inputs []string
		var order []string
		for i, want := range evs {
			msg, err := dec.Decode(&wire, nil)
			if err != nil {
				t.Fatalf("frame %d (%s): %v", i, want.Type, err)
			}
			if !bytes.Equal(msg.Payload, want.Payload) {
				t.Fatalf("frame %d payload %q, want %q", i, msg.Payload, want.Payload)
			}
			var headers []string
			for _, h := range msg.Headers {
				headers = append(headers, h.Name)
			}
			var p struct {
				P     *string `json:"p"`
				Delta struct {
					Text             *string
					ReasoningContent *struct{ Text *string }
					ToolUse          *struct{ Input string }
				}
				Message string `json:"message"`
			}
			if err := json.Unmarshal(msg.Payload, &p); err != nil {
				t.Fatalf("frame %d payload %q: %v", i, msg.Payload, err)
			}
			if msg.Headers.Get(":message-type").String() == "exception" {
				if got := want.Type; got != "exception "+msg.Headers.Get(":exception-type").String() || p.P != nil {
					t.Fatalf("exception frame %d: headers %v, payload %s", i, headers, msg.Payload)
				}
				continue
			}
			if got := headers; len(got) != 3 || got[0] != ":event-type" || got[1] != ":content-type" || got[2] != ":message-type" ||
				msg.Headers.Get(":event-type").String() != want.Type || p.P == nil {
				t.Fatalf("frame %d: headers %v, payload %s", i, got, msg.Payload)
			}
			order = append(order, want.Type)
			switch {
			case p.Delta.Text != nil:
				texts = append(texts, *p.Delta.Text)
			case p.Delta.ReasoningContent != nil && p.Delta.ReasoningContent.Text != nil:
				reasonings = append(reasonings, *p.Delta.ReasoningContent.Text)
			case p.Delta.ToolUse != nil:
				inputs = append(inputs, p.Delta.ToolUse.Input)
			}
		}
		if wire.Len() != 0 {
			t.Fatalf("%d bytes left after the last frame", wire.Len())
		}
		if order[0] != "messageStart" || order[len(order)-2] != "messageStop" || order[len(order)-1] != "metadata" {
			t.Fatalf("event order %v", order)
		}

		// The deltas add up to what Converse answers for the same reply.
		var conv struct {
			Output struct {
				Message struct {
					Content []struct {
						Text             *string
						ReasoningContent *struct{ ReasoningText struct{ Text string } }
						ToolUse          *struct{ Input json.RawMessage }
					}
				}
			}
		}
		if err := json.Unmarshal(converseBody(r, usage, usageShape{}), &conv); err != nil {
			t.Fatal(err)
		}
		var wantText, wantReasoning, wantInput string
		for _, b := range conv.Output.Message.Content {
			switch {
			case b.Text != nil:
				wantText += *b.Text
			case b.ReasoningContent != nil:
				wantReasoning += b.ReasoningContent.ReasoningText.Text
			case b.ToolUse != nil:
				wantInput += string(compactJSON(b.ToolUse.Input))
			}
		}
		for _, c := range []struct{ name, got, want string }{
			{"text", join(texts), wantText}, {"reasoning", join(reasonings), wantReasoning}, {"tool input", join(inputs), wantInput},
		} {
			if c.got != c.want {
				t.Fatalf("%s deltas add up to %q, Converse says %q", c.name, c.got, c.want)
			}
		}
	})
}

func join(parts []string) string {
	var b bytes.Buffer
	for _, p := range parts {
		b.WriteString(p)
	}
	return b.String()
}
