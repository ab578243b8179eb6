package spec

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzValidate checks that no JSON body makes Validate or Message panic, and
// that a serialization failure always comes alone.
func FuzzValidate(f *testing.F) {
	f.Add([]byte(`{"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{"maxTokens":0}}`))
	f.Add([]byte(`[]`))
	ops := Model().OperationNames()
	f.Fuzz(func(t *testing.T, data []byte) {
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.UseNumber()
		var body any
		if err := dec.Decode(&body); err != nil {
			return
		}
		for _, op := range ops {
			vs := ValidateValue(op, body)
			_ = Message(vs)
			for _, v := range vs {
				if v.Kind == KindSerialization && len(vs) != 1 {
					t.Fatalf("%s: serialization violation among %d", op, len(vs))
				}
			}
		}
	})
}
