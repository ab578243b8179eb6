package emulator_test

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/client"
	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// soakFor runs TestSoak longer than its CI default (2 seconds), e.g. go test ./emulator
// -run TestSoak -soak 5m, or BEDROCK_EMULATOR_SOAK=5m.
var soakFor = flag.Duration("soak", 0, "how long TestSoak runs (default 2s, or $BEDROCK_EMULATOR_SOAK)")

// soakBehaviour answers by the last user text: "slow" streams 40 words 5 ms apart, "fail"
// ends a stream with a throttling exception after three events, "refuse" answers a
// throttling error; anything else goes to the default generator.
var soakBehaviour = emulator.BehaviourFunc(func(_ context.Context, c *emulator.Call) (*emulator.Reply, error) {
	msgs := c.Request.Messages
	text := msgs[len(msgs)-1].Content[0].Text
	if text == nil {
		return nil, nil
	}
	throttled, _ := emulator.NewError("ThrottlingException", "")
	switch *text {
	case "slow":
		return &emulator.Reply{Content: []emulator.Block{emulator.TextBlock(strings.Repeat("slowly ", 40))},
			Stream: emulator.StreamShape{PerDelta: 5 * time.Millisecond}}, nil
	case "fail":
		return &emulator.Reply{Content: []emulator.Block{emulator.TextBlock("a stream that breaks off")},
			Stream: emulator.StreamShape{FailAfter: 3, Fail: throttled}}, nil
	case "refuse":
		return nil, throttled
	}
	return nil, nil
})

// soakKinds are the clients' requests, in turn.
var soakKinds = []string{"converse", "stream", "slow stream", "disconnect", "stream failure", "refused", "refused stream"}

// TestSoak runs many Converse and ConverseStream clients at once through the Go SDK for a
// while, some of them hanging up mid-stream, and then checks that every request is in the
// journal, that every stream either completed or ended with a modeled error, and that the
// server holds no more goroutines or memory than before. It is not parallel, so that the
// counts are its own.
func TestSoak(t *testing.T) {
	duration := 2 * time.Second
	if v := os.Getenv("BEDROCK_EMULATOR_SOAK"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("BEDROCK_EMULATOR_SOAK=%q: %v", v, err)
		}
		duration = d
	}
	if *soakFor > 0 {
		duration = *soakFor
	}
	const clients = 24
	maxRequests := max(2000, int(duration/time.Millisecond)*4)

	srv := emulator.NewServer(emulator.WithBehaviour(soakBehaviour), func(o *emulator.Options) { o.JournalSize = maxRequests + clients })
	defer srv.Close()
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = clients
	defer transport.CloseIdleConnections()
	// Endpoint wraps the HTTP client given here, as it wraps the SDK's default one, against
	// the SDK's closed-body race (see client.Endpoint). One client per goroutine: streams
	// read at once through one client race in the SDK's event-stream decoder (see testkit).
	newClient := func() *bedrockruntime.Client {
		return bedrockruntime.New(bedrockruntime.Options{HTTPClient: &http.Client{Transport: transport}, RetryMaxAttempts: 1}, client.Endpoint(srv.URL))
	}

	run := func(d time.Duration, limit int) map[string]int {
		var (
			sent   atomic.Int64
			mu     sync.Mutex
			counts = map[string]int{}
			wg     sync.WaitGroup
		)
		stop := time.Now().Add(d)
		for i := range clients {
			wg.Go(func() {
				c := newClient()
				for n := i; time.Now().Before(stop) && sent.Add(1) <= int64(limit); n += clients {
					kind := soakKinds[n%len(soakKinds)]
					if err := soakRequest(c, kind); err != nil {
						t.Errorf("%s: %v", kind, err)
						return
					}
					mu.Lock()
					counts[kind]++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		return counts
	}

	// A short warm-up, so that what the process keeps for good (the SDK's, the server's
	// and the runtime's caches, connections) is in the baseline.
	run(200*time.Millisecond, 200)
	srv.ResetRequests()
	goroutines, heap := settle(t, transport, 0, 0)

	counts := run(duration, maxRequests)
	total := 0
	for _, n := range counts {
		total += n
	}
	t.Logf("%d requests in %v: %v", total, duration, counts)

	// Every request, the ones whose client hung up included, reaches the journal once its
	// handler has finished.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	srv.Wait(ctx, total)
	if got := len(srv.Requests()); got != total {
		t.Errorf("journal holds %d requests, want %d", got, total)
	}
	for _, e := range srv.Requests() {
		if e.Status >= 500 {
			t.Errorf("request %d answered %d %+v", e.Seq, e.Status, e.Error)
		}
	}
	srv.ResetRequests()
	settle(t, transport, goroutines, heap)
}

// settle waits for the goroutine count to come back to at most wantGoroutines (plus a few
// for the runtime) and checks the heap has not grown past wantHeap by more than 32 MiB; with
// zero wants it only measures. It returns the counts it settled at.
func settle(t *testing.T, transport *http.Transport, wantGoroutines int, wantHeap uint64) (int, uint64) {
	t.Helper()
	const slack = 4
	var n int
	var m runtime.MemStats
	for deadline := time.Now().Add(10 * time.Second); ; {
		transport.CloseIdleConnections()
		runtime.GC()
		n = runtime.NumGoroutine()
		if wantGoroutines == 0 || n <= wantGoroutines+slack || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	runtime.ReadMemStats(&m)
	if wantGoroutines > 0 && n > wantGoroutines+slack {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines after the soak, %d before:\n%s", n, wantGoroutines, buf[:runtime.Stack(buf, true)])
	}
	if wantHeap > 0 && m.HeapAlloc > wantHeap+32<<20 {
		t.Errorf("heap grew from %d MiB to %d MiB", wantHeap>>20, m.HeapAlloc>>20)
	}
	return n, m.HeapAlloc
}

// soakRequest makes one request of a kind and checks its outcome.
func soakRequest(c *bedrockruntime.Client, kind string) error {
	model := aws.String("anthropic.claude-3-haiku-20240307-v1:0")
	say := map[string]string{"slow stream": "slow", "disconnect": "slow", "stream failure": "fail", "refused": "refuse", "refused stream": "refuse"}[kind]
	if say == "" {
		say = "hello " + kind
	}
	msgs := []types.Message{testkit.UserText(say)}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	if kind == "converse" || kind == "refused" {
		_, err := c.Converse(ctx, &bedrockruntime.ConverseInput{ModelId: model, Messages: msgs})
		return expect(kind, err, kind == "refused")
	}
	out, err := c.ConverseStream(ctx, &bedrockruntime.ConverseStreamInput{ModelId: model, Messages: msgs})
	if kind == "refused stream" || err != nil {
		return expect(kind, err, kind == "refused stream")
	}
	stream := out.GetStream()
	defer stream.Close()
	events := 0
	var last types.ConverseStreamOutput
	for ev := range stream.Events() {
		events++
		last = ev
		if kind == "disconnect" && events == 3 {
			cancel() // hang up mid-stream
			stream.Close()
			return nil
		}
	}
	if kind == "stream failure" {
		return expect(kind, stream.Err(), true)
	}
	if err := stream.Err(); err != nil {
		return err
	}
	if _, ok := last.(*types.ConverseStreamOutputMemberMetadata); !ok {
		return fmt.Errorf("the stream ended after %d events with %T, not metadata", events, last)
	}
	return nil
}

// expect checks that err is a modeled ThrottlingException if throttled, else nil.
func expect(kind string, err error, throttled bool) error {
	var te *types.ThrottlingException
	switch {
	case !throttled:
		return err
	case errors.As(err, &te):
		return nil
	}
	return fmt.Errorf("%s: got %v, want a ThrottlingException", kind, err)
}

// Shutdown while streams and calls are in flight lets each of them finish, whole, and
// refuses new connections.
func TestShutdownUnderLoad(t *testing.T) {
	t.Parallel()
	srv := emulator.NewServer(emulator.WithBehaviour(soakBehaviour))
	const streams = 16
	var started, wg sync.WaitGroup
	errs := make(chan error, 2*streams)
	for range streams {
		started.Add(1)
		wg.Go(func() {
			c := testkit.Client(srv.URL) // one per goroutine reading a stream
			out, err := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{
				ModelId: aws.String("us.amazon.nova-lite-v1:0"), Messages: []types.Message{testkit.UserText("slow")}})
			if err != nil {
				started.Done()
				errs <- err
				return
			}
			stream := out.GetStream()
			defer stream.Close()
			text, first := "", true
			for ev := range stream.Events() {
				if first {
					started.Done()
					first = false
				}
				if d, ok := ev.(*types.ConverseStreamOutputMemberContentBlockDelta); ok {
					text += d.Value.Delta.(*types.ContentBlockDeltaMemberText).Value
				}
			}
			if err := stream.Err(); err != nil || text != strings.Repeat("slowly ", 40) {
				errs <- fmt.Errorf("stream cut by shutdown: %v, got %q", err, text)
			}
		})
	}
	started.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(srv.Requests()); n != streams {
		t.Errorf("journal holds %d requests, want %d", n, streams)
	}
	if _, err := http.Get(srv.URL + "/_emulator/health"); err == nil {
		t.Error("the server still answers after Shutdown")
	}
}
