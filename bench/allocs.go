package main

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"syscall"
	"time"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// cost is what serving one request took in a handler alone.
type cost struct {
	allocs, bytes uint64
	time          time.Duration
}

// handlerCost runs h n times on req, read from memory and answered into a recorder, after
// a warm-up, and returns the allocations and bytes allocated per request, as a Go benchmark
// with ReportAllocs counts them, and the CPU time.
func handlerCost(h http.Handler, req *request, n int) (cost, error) {
	serve := func() error {
		r := httptest.NewRequest(http.MethodPost, req.path, bytes.NewReader(req.body))
		r.Header = req.header
		w := newRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			return fmt.Errorf("status %d: %s", w.Code, w.Body)
		}
		return nil
	}
	for range min(n, 100) {
		if err := serve(); err != nil {
			return cost{}, err
		}
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	cpu := cpuTime()
	for range n {
		serve()
	}
	cpu = cpuTime() - cpu
	runtime.ReadMemStats(&after)
	return cost{
		allocs: (after.Mallocs - before.Mallocs) / uint64(n),
		bytes:  (after.TotalAlloc - before.TotalAlloc) / uint64(n),
		time:   cpu / time.Duration(n),
	}, nil
}

// cpuTime is the CPU time the process has used, user and system, garbage collection
// included: unlike wall time, it does not grow while other processes have the CPU.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measureAllocs compares the allocations of the emulator's handler per request with a bare
// handler's answering the same bytes; both write into an httptest.ResponseRecorder, whose
// own allocations both pay.
func measureAllocs(cfg config, converse, stream *request) ([]row, error) {
	h, err := emulator.NewHandler()
	if err != nil {
		return nil, err
	}
	var rows []row
	for _, c := range []struct {
		name string
		req  *request
	}{{"Converse", converse}, {"ConverseStream (200 deltas)", stream}} {
		e, err := handlerCost(h, c.req, cfg.allocRuns)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		r, err := handlerCost(bareHandler(c.req), c.req, cfg.allocRuns)
		if err != nil {
			return nil, fmt.Errorf("%s, bare: %w", c.name, err)
		}
		rows = append(rows, row{
			name:      "Allocations per " + c.name + " request (handler)",
			emulator:  fmt.Sprintf("%d allocs, %d B", e.allocs, e.bytes),
			reference: fmt.Sprintf("%d allocs, %d B bare", r.allocs, r.bytes),
			ratio:     "—",
			note: fmt.Sprintf("%s: %s of CPU a request in the handler alone (bare: %s), served from memory into an httptest.ResponseRecorder, mean of %d.",
				c.name, dur(e.time), dur(r.time), cfg.allocRuns),
		})
	}
	return rows, nil
}

// recorder is an httptest.ResponseRecorder that takes write deadlines, as a server's
// connection does: without them, the emulator's stall guard would pay for an error per write
// that it never pays in a server.
type recorder struct{ *httptest.ResponseRecorder }

func newRecorder() recorder { return recorder{httptest.NewRecorder()} }

// SetWriteDeadline accepts any deadline; http.ResponseController calls it.
func (recorder) SetWriteDeadline(time.Time) error { return nil }
