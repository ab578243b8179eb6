package cassette_test

import (
	"fmt"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
)

// BenchmarkPlay replays requests spread over cassettes of 10 and 10,000 interactions, and
// a request none matches: the cost must not grow with the cassette (go run ./bench reports
// the ratio).
func BenchmarkPlay(b *testing.B) {
	body := func(n int) string { return fmt.Sprintf(`{"messages":[{"role":"user","content":[{"text":"q%d"}]}]}`, n) }
	for _, size := range []int{10, 10_000} {
		c := cassette.New("bench.yaml")
		for n := range size {
			c.Add(interaction("/model/m/converse", body(n), "answer"))
		}
		p := cassette.NewPlayer([]*cassette.Cassette{c}, cassette.WithRepeat(true))
		reqs := make([]*cassette.Request, 10)
		for k := range reqs {
			reqs[k] = &cassette.Request{Method: "POST", URL: "/model/m/converse", Body: body(k * size / len(reqs))}
		}
		b.Run(fmt.Sprintf("match/%d", size), func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				if p.Match(reqs[n%len(reqs)]) == nil {
					b.Fatal("no match")
				}
				n++
			}
		})
		miss := &cassette.Request{Method: "POST", URL: "/model/m/converse", Body: body(-1)}
		b.Run(fmt.Sprintf("miss/%d", size), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if p.Match(miss) != nil {
					b.Fatal("a match")
				}
			}
		})
	}
}
