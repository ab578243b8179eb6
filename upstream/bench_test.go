package upstream_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
	"github.com/bedrock-emulator/bedrock-emulator/upstream"
)

// BenchmarkOverhead measures what the emulator adds on top of the upstream. The direct
// sub-benchmarks call the fake upstream themselves; the others make the same call through
// the AWS SDK for Go and the emulator (SDK signing and decoding included). converse minus
// direct is the overhead per request; stream-200 minus direct-stream-200, over 200, per
// streamed delta (one word, about a token).
func BenchmarkOverhead(b *testing.B) {
	up := httptest.NewServer(&fake{answer: completion})
	defer up.Close()
	u, err := upstream.New(upstream.Config{URL: up.URL, DefaultModel: "tiny"})
	if err != nil {
		b.Fatal(err)
	}
	srv := emulator.NewServer(u.Install, emulator.WithJournalSize(16))
	defer srv.Close()
	c := testkit.Client(srv.URL)
	direct := func(body string) func(b *testing.B) {
		return func(b *testing.B) {
			for b.Loop() {
				resp, err := http.Post(up.URL+"/v1/chat/completions", "application/json", strings.NewReader(body))
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
	}
	b.Run("direct", direct(`{"model":"tiny","messages":[{"role":"user","content":"Hi"}]}`))
	b.Run("converse", func(b *testing.B) {
		msgs := []types.Message{testkit.UserText("Hi")}
		for b.Loop() {
			if _, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: msgs}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("direct-stream-200", direct(`{"model":"tiny","stream":true,"messages":[{"role":"user","content":"long"}]}`))
	b.Run("stream-200", func(b *testing.B) {
		msgs := []types.Message{testkit.UserText("long")}
		for b.Loop() {
			if s := testkit.ConverseStream(b, c, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model), Messages: msgs}); len(s.Deltas) != 200 {
				b.Fatalf("%d deltas", len(s.Deltas))
			}
		}
	})
}
