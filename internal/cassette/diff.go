package cassette

import "github.com/bedrock-emulator/bedrock-emulator/internal/jsondiff"

// diffKeys lists the values that differ between a recorded request's key and an incoming
// one's: the method, the operation, the model ID, the path and the body, the body leaf by
// leaf when both are JSON.
func diffKeys(recorded, got key) []jsondiff.Change {
	return jsondiff.Diff("", recorded.view(), got.view(), nil)
}

// view is a key as a JSON value to diff: the body decoded when it is JSON.
func (k key) view() map[string]any {
	v := map[string]any{"method": k.method, "operation": k.op, "modelId": k.model, "path": k.path, "body": k.body}
	if b, ok := decodeJSON(k.body); ok {
		v["body"] = b
	}
	return v
}
