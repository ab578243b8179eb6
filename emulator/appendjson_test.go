package emulator

import (
	"bytes"
	"slices"
	"testing"
)

// The hand-written JSON of appendjson.go and of the stream's frequent events must be byte
// for byte what encodeJSON writes for the wire structs; these tests hold them to it.

var jsonStringSeeds = []string{
	"", "plain words", ` leading space`, `quote " and backslash \`, "<b>&amp;</b>",
	"\x00\x01\x07\b\t\n\v\f\r\x1b\x1f\x7f", "Grüße, 日本語, 🙂", "line\u2028para\u2029end",
	"bad \xff\xfe utf-8 \xc3", "\xe2\x80", "\u00a0nbsp", `{"json":"inside"}`,
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range jsonStringSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := encodeJSON(s)
		if got := appendJSONString(nil, s); !bytes.Equal(want, got) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}

func TestAppendJSONString(t *testing.T) {
	t.Parallel()
	for _, s := range jsonStringSeeds {
		if want, got := encodeJSON(s), appendJSONString([]byte("prefix"), s); !bytes.Equal(append([]byte("prefix"), want...), got) {
			t.Errorf("appendJSONString(%q) = %s, want prefix%s", s, got, want)
		}
	}
}

// FuzzStreamEvents checks every hand-written event against its wire struct.
func FuzzStreamEvents(f *testing.F) {
	for _, s := range jsonStringSeeds {
		f.Add(s, uint8(0), uint8(0))
	}
	f.Add("x", uint8(12), uint8(59))
	f.Fuzz(func(t *testing.T, part string, index, n uint8) {
		i := int(index)
		w := eventWriter{n: int(n)}
		var got [][]byte
		w.yield = func(ev event) bool { got = append(got, slices.Clone(ev.Payload)); return true }
		w.textDelta(i, textDelta, part, 0)
		w.textDelta(i, reasoningDelta, part, 0)
		w.textDelta(i, toolInputDelta, part, 0)
		w.blockStop(i)
		want := [][]byte{
			encodeJSON(evBlockDelta{ContentBlockIndex: i, Delta: wireDelta{Text: &part}, P: padding(int(n))}),
			encodeJSON(evBlockDelta{ContentBlockIndex: i, Delta: wireDelta{ReasoningContent: &wireReasoningDelta{Text: &part}}, P: padding(int(n) + 1)}),
			encodeJSON(evBlockDelta{ContentBlockIndex: i, Delta: wireDelta{ToolUse: &wireToolUseDelta{Input: part}}, P: padding(int(n) + 2)}),
			encodeJSON(evBlockStop{ContentBlockIndex: i, P: padding(int(n) + 3)}),
		}
		for k := range want {
			if !bytes.Equal(want[k], got[k]) {
				t.Errorf("event %d:\n got %s\nwant %s", k, got[k], want[k])
			}
		}
	})
}

// TestStreamEventsStop checks that rendering stops when the consumer does.
func TestStreamEventsStop(t *testing.T) {
	t.Parallel()
	text := "one two three four"
	reply := &Reply{Content: []Block{{Text: &text}, {Text: &text}}}
	var types []string
	for ev := range streamEvents(reply, Usage{}) {
		types = append(types, ev.Type)
		if len(types) == 3 {
			break
		}
	}
	if want := []string{"messageStart", "contentBlockDelta", "contentBlockDelta"}; !slices.Equal(want, types) {
		t.Errorf("events = %q, want %q", types, want)
	}
	all := 0
	for range streamEvents(reply, Usage{}) {
		all++
	}
	if all != 1+2*(4+1)+2 {
		t.Errorf("%d events, want %d", all, 1+2*(4+1)+2)
	}
}
