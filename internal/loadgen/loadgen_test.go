package loadgen_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-emulator/bedrock-emulator/internal/loadgen"
)

// echo serves the request body back and counts the requests it saw.
func echo(t *testing.T, status int) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if r.Header.Get("X-Test") != "yes" {
			http.Error(w, "missing header", http.StatusBadRequest)
			return
		}
		w.WriteHeader(status)
		io.Copy(w, r.Body)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

func TestRunCountBound(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                 string
		status, wantStatus   int
		wantOK, wantFailures int
	}{
		{name: "expected status", status: 200, wantOK: 50},
		{name: "other status", status: 503, wantFailures: 50},
		{name: "expected other status", status: 204, wantStatus: 204, wantOK: 50},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, seen := echo(t, tt.status)
			target := loadgen.Target{URL: srv.URL, Header: http.Header{"X-Test": {"yes"}}, Body: []byte("hello"), Status: tt.wantStatus}
			res, err := loadgen.Run(context.Background(), target, loadgen.Config{Concurrency: 4, Requests: 50})
			if err != nil {
				t.Fatal(err)
			}
			got := []int{res.Requests, res.Errors, int(seen.Load()), len(res.Latency), len(res.FirstByte)}
			want := []int{tt.wantOK, tt.wantFailures, 50, tt.wantOK, tt.wantOK}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("[ok errors served latencies first-bytes] (-want +got):\n%s", diff)
			}
			if tt.status == 200 && res.Bytes != 50*5 {
				t.Errorf("Bytes = %d, want %d", res.Bytes, 50*5)
			}
		})
	}
}

func TestRunTimeBound(t *testing.T) {
	t.Parallel()
	srv, _ := echo(t, 200)
	target := loadgen.Target{Method: http.MethodPut, URL: srv.URL, Header: http.Header{"X-Test": {"yes"}}}
	res, err := loadgen.Run(context.Background(), target, loadgen.Config{Concurrency: 2, Duration: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests == 0 || res.Errors != 0 {
		t.Errorf("Requests, Errors = %d, %d; want some requests and no errors", res.Requests, res.Errors)
	}
	// Wide bound: the run stops soon after its Duration, whatever the machine's load.
	if res.Elapsed < 50*time.Millisecond || res.Elapsed > 10*time.Second {
		t.Errorf("Elapsed = %v, want about 50ms", res.Elapsed)
	}
	if res.PerSecond() <= 0 {
		t.Errorf("PerSecond = %v, want > 0", res.PerSecond())
	}
}

func TestRunRefuses(t *testing.T) {
	t.Parallel()
	if _, err := loadgen.Run(context.Background(), loadgen.Target{URL: "http://127.0.0.1:1"}, loadgen.Config{}); !errors.Is(err, loadgen.ErrUnbounded) {
		t.Errorf("no bounds: err = %v, want ErrUnbounded", err)
	}
	if _, err := loadgen.Run(context.Background(), loadgen.Target{URL: "://bad"}, loadgen.Config{Requests: 1}); err == nil {
		t.Error("bad URL: err = nil, want an error")
	}
}

func TestRunConnectionRefused(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	res, err := loadgen.Run(context.Background(), loadgen.Target{URL: url}, loadgen.Config{Requests: 3})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 0 || res.Errors != 3 {
		t.Errorf("Requests, Errors = %d, %d; want 0, 3", res.Requests, res.Errors)
	}
}

func TestPercentileAndAdd(t *testing.T) {
	t.Parallel()
	a := loadgen.Result{Requests: 2, Elapsed: time.Second, Latency: []time.Duration{1, 3}}
	b := loadgen.Result{Requests: 2, Errors: 1, Elapsed: time.Second, Latency: []time.Duration{2, 4}}
	sum := a.Add(b)
	if diff := cmp.Diff([]time.Duration{1, 2, 3, 4}, sum.Latency); diff != "" {
		t.Errorf("merged latencies (-want +got):\n%s", diff)
	}
	if sum.PerSecond() != 2 || sum.Errors != 1 {
		t.Errorf("PerSecond, Errors = %v, %d; want 2, 1", sum.PerSecond(), sum.Errors)
	}
	if diff := cmp.Diff([]time.Duration{1, 3}, a.Latency); diff != "" {
		t.Errorf("Add changed its receiver's samples (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		p    float64
		want time.Duration
	}{{0, 1}, {50, 2}, {100, 4}} {
		if got := loadgen.Percentile(sum.Latency, tt.p); got != tt.want {
			t.Errorf("Percentile(%v) = %v, want %v", tt.p, got, tt.want)
		}
	}
	if got := loadgen.Percentile(nil, 50); got != 0 {
		t.Errorf("Percentile(nil) = %v, want 0", got)
	}
}
