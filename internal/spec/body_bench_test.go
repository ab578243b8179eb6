package spec

// BenchmarkValidateShape decodes and validates a small Converse body, as every request does.

import "testing"

func BenchmarkValidateShape(b *testing.B) {
	body := []byte(`{"inferenceConfig":{"maxTokens":512,"temperature":0.5},"messages":[{"content":[{"text":"What is the capital of France? Answer in one word."}],"role":"user"}],"system":[{"text":"You are a concise assistant."}]}`)
	b.ReportAllocs()
	for b.Loop() {
		if vs := ValidateBody("Converse", body); vs != nil {
			b.Fatal(Message(vs))
		}
	}
}
