package spec

import (
	"strings"
	"testing"
)

// A body with many violations gets a message of the first MaxViolations, counted as 10 as
// Coral services count them, not a 36 MB list (issue 13, item 4): here 300,000 empty
// content blocks, each a union with no member set.
func TestMessageCap(t *testing.T) {
	t.Parallel()
	body := `{"messages":[{"role":"user","content":[` + strings.Repeat(`{},`, 299999) + `{}]}]}`
	vs := Validate("Converse", decode(t, body))
	if len(vs) != MaxViolations {
		t.Errorf("Validate kept %d violations, want %d", len(vs), MaxViolations)
	}
	msg := Message(vs)
	want := "10 validation errors detected: Value at 'messages.1.member.content.1.member' failed to satisfy constraint: "
	if !strings.HasPrefix(msg, want) || strings.Count(msg, "; ") != 9 || len(msg) > 4<<10 {
		t.Errorf("Message = %d bytes, %.300q…; want it to start %q and list 10", len(msg), msg, want)
	}
	if strings.Contains(msg, "content.11.member") {
		t.Errorf("Message lists an 11th violation: %.2000q", msg)
	}

	// Past the tenth violation, validation still looks for a value it cannot deserialize.
	body = `{"messages":[{"role":"user","content":[` + strings.Repeat(`{},`, 19) + `{}]}],"inferenceConfig":{"maxTokens":"many"}}`
	if vs := Validate("Converse", decode(t, body)); len(vs) != 1 || vs[0].Kind != KindSerialization {
		t.Errorf("Validate = %v, want the serialization failure alone", vs)
	}

	// Message caps a longer list given to it, too; a serialization failure still wins.
	long := make([]Violation, 25)
	for i := range long {
		long[i] = Violation{Kind: KindRequired, Path: "p", Value: "null", Constraint: "Member must not be null"}
	}
	if got := Message(long); !strings.HasPrefix(got, "10 validation errors detected: ") || strings.Count(got, "; ") != 9 {
		t.Errorf("Message of 25 = %q", got)
	}
	if got := Message(append(long, serialization("Start of list found where not expected"))); got != "Start of list found where not expected" {
		t.Errorf("Message with a serialization failure = %q", got)
	}
}
