package main

import (
	"bufio"
	"context"
	"flag"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"testing"
)

// TestHeapFloor checks serve's floor under the heap (heapFloor): the garbage collector
// paces itself by heapFloorBytes more of live heap while serve runs, and the binary, just
// started, does not hold those bytes in memory.
func TestHeapFloor(t *testing.T) {
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		if _, ok := os.LookupEnv(v); ok {
			t.Skipf("%s is set, which turns serve's heap floor off", v)
		}
	}
	t.Run("paced by", func(t *testing.T) {
		// serve in this process, so that the collector's goal can be read: at GOGC 100 it
		// is twice the live heap (and at least 4 MiB), so the floor puts it at twice its
		// size or more.
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		serve := serveFlags(fs)
		if err := fs.Parse([]string{"--addr", "127.0.0.1:0", "--log-level", "error"}); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context()) // serve ends with the test, whatever happens
		out, w := io.Pipe()
		done := make(chan error, 1)
		go func() { done <- serve(ctx, nil, w, io.Discard); w.Close() }()
		if _, err := bufio.NewReader(out).ReadString('\n'); err != nil { // its URL: serving
			t.Fatal(err)
		}
		go io.Copy(io.Discard, out)
		serving := heapGoal()
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		after := heapGoal()
		t.Logf("the collector's heap goal: %d MiB while serve ran, %d MiB after", serving>>20, after>>20)
		if serving < 2*heapFloorBytes || after >= 2*heapFloorBytes {
			t.Errorf("the collector's heap goal: %d MiB while serve ran and %d MiB after, want at least %d MiB (twice the floor) while it ran and less after",
				serving>>20, after>>20, 2*heapFloorBytes>>20)
		}
	})
	t.Run("not resident", func(t *testing.T) {
		if _, err := os.Stat("/proc/self/status"); err != nil {
			t.Skip("needs /proc")
		}
		cmd, _, _ := start(t, nil, "serve", "--addr", "127.0.0.1:0")
		if anon := procStatus(t, cmd.Process.Pid, "RssAnon"); anon >= heapFloorBytes {
			t.Errorf("the binary, just started, holds %d MiB of anonymous memory, want under the floor's %d MiB: the floor is touched",
				anon>>20, heapFloorBytes>>20)
		}
	})
}

// heapGoal is the garbage collector's heap goal after a collection.
func heapGoal() int64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64())
}
