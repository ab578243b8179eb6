// Package loadgen drives HTTP load for the benchmark harness: a fixed number of workers send
// one request after another (a closed loop), over keep-alive connections, until a time or a
// request count runs out. Every target measured in one run gets the same driver, the same
// client settings and the same concurrency, so their results can be compared as ratios.
//
//	res, err := loadgen.Run(ctx, loadgen.Target{URL: url, Body: body}, loadgen.Config{Concurrency: 8, Duration: time.Second})
//	fmt.Println(res.PerSecond())
package loadgen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Target is one kind of request to send: always the same method, URL, headers and body.
type Target struct {
	// Method is the HTTP method; "" means POST.
	Method string
	URL    string
	Header http.Header
	Body   []byte
	// Status is the status a successful response has; 0 means 200. Any other counts as an
	// error.
	Status int
}

// Config bounds a run.
type Config struct {
	// Concurrency is the number of workers, each with at most one request in flight; 0
	// means 1.
	Concurrency int
	// Duration stops the run once it has passed (requests in flight finish); 0 means no
	// time bound.
	Duration time.Duration
	// Requests stops the run after this many requests; 0 means no count bound. One of
	// Duration and Requests must be set.
	Requests int
	// Client sends the requests; nil means NewClient(Concurrency).
	Client *http.Client
}

// Result is what a run measured.
type Result struct {
	// Requests counts the responses with the expected status, read to the end; Errors the
	// rest (transport errors and other statuses).
	Requests, Errors int
	// Bytes counts the response body bytes read.
	Bytes int64
	// Elapsed is the wall time from the first request sent to the last response read.
	Elapsed time.Duration
	// Latency holds, per successful request, the time from sending it to reading its body
	// to the end; FirstByte the time to its response headers, which a streaming server
	// sends together with its first bytes of body. Both are sorted.
	Latency, FirstByte []time.Duration
}

// PerSecond is the rate of successful requests.
func (r Result) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Add returns r and o together, as if one run: counts and times add up, samples merge.
func (r Result) Add(o Result) Result {
	r.Requests += o.Requests
	r.Errors += o.Errors
	r.Bytes += o.Bytes
	r.Elapsed += o.Elapsed
	r.Latency = merge(r.Latency, o.Latency)
	r.FirstByte = merge(r.FirstByte, o.FirstByte)
	return r
}

func merge(a, b []time.Duration) []time.Duration {
	out := append(slices.Clip(a), b...)
	slices.Sort(out)
	return out
}

// Percentile returns the p-th percentile (0 ≤ p ≤ 100) of sorted samples, 0 for none.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p / 100 * float64(len(sorted)-1))
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// NewClient returns the client Run uses by default: HTTP/1.1 over keep-alive connections,
// as many idle ones kept per host as there are workers, no compression, no proxy.
func NewClient(concurrency int) *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:               nil,
		MaxIdleConns:        max(concurrency, 1),
		MaxIdleConnsPerHost: max(concurrency, 1),
		DisableCompression:  true,
		IdleConnTimeout:     30 * time.Second,
	}}
}

// ErrUnbounded is returned by Run for a Config with neither Duration nor Requests.
var ErrUnbounded = errors.New("loadgen: a run needs a Duration or a Requests bound")

// Run sends t's request from cfg.Concurrency workers until cfg's bounds or ctx end it, and
// returns what it measured. It fails only for a bad Config or Target; failed requests are
// counted in Result.Errors.
func Run(ctx context.Context, t Target, cfg Config) (Result, error) {
	if cfg.Duration <= 0 && cfg.Requests <= 0 {
		return Result{}, ErrUnbounded
	}
	method := t.Method
	if method == "" {
		method = http.MethodPost
	}
	want := t.Status
	if want == 0 {
		want = http.StatusOK
	}
	if _, err := http.NewRequest(method, t.URL, nil); err != nil {
		return Result{}, fmt.Errorf("loadgen: %w", err)
	}
	workers := max(cfg.Concurrency, 1)
	client := cfg.Client
	if client == nil {
		client = NewClient(workers)
	}
	if cfg.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.Duration)
		defer cancel()
	}

	var claimed atomic.Int64
	results := make([]Result, workers)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range results {
		wg.Go(func() {
			res := &results[w]
			for ctx.Err() == nil {
				if cfg.Requests > 0 && claimed.Add(1) > int64(cfg.Requests) {
					return
				}
				// The request is not tied to ctx: one in flight when time runs out finishes.
				// Requests share t.Header: a client only reads a request's headers.
				req, _ := http.NewRequest(method, t.URL, bytes.NewReader(t.Body))
				req.Header = t.Header
				sent := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					res.Errors++
					continue
				}
				first := time.Since(sent)
				n, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				res.Bytes += n
				if err != nil || resp.StatusCode != want {
					res.Errors++
					continue
				}
				res.Requests++
				res.Latency = append(res.Latency, time.Since(sent))
				res.FirstByte = append(res.FirstByte, first)
			}
		})
	}
	wg.Wait()
	total := Result{Elapsed: time.Since(start)}
	for _, r := range results {
		total.Requests += r.Requests
		total.Errors += r.Errors
		total.Bytes += r.Bytes
		total.Latency = append(total.Latency, r.Latency...)
		total.FirstByte = append(total.FirstByte, r.FirstByte...)
	}
	slices.Sort(total.Latency)
	slices.Sort(total.FirstByte)
	return total, nil
}
