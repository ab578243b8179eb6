package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/fixtures"
	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"

	vcr "gopkg.in/dnaeon/go-vcr.v3/cassette"
)

// smallCassette is the size the big cassette (config.cassette) is compared with.
const smallCassette = 10

// writeCassette writes a cassette of n Converse interactions, each a different question
// answered with a reply of the benchmark's size, and returns the requests that replay them.
func writeCassette(path string, n int, converse *request) ([][]byte, error) {
	c := cassette.New(filepath.Base(path))
	bodies := make([][]byte, n)
	for i := range bodies {
		bodies[i] = fmt.Appendf(nil, `{"inferenceConfig":{"maxTokens":512},"messages":[{"content":[{"text":"Question %d: what is the capital of France?"}],"role":"user"}]}`, i)
		c.Add(&cassette.Interaction{
			Request: cassette.Request{
				Method:  http.MethodPost,
				URL:     "https://bedrock-runtime.us-east-1.amazonaws.com" + converse.path,
				Headers: http.Header{"Content-Type": {"application/json"}},
				Body:    string(bodies[i]),
			},
			Response: cassette.Response{Response: cassetteResponse(converse)},
		})
	}
	return bodies, c.Save(path)
}

func cassetteResponse(converse *request) vcr.Response {
	return vcr.Response{
		Code: http.StatusOK, Status: "200 OK",
		Headers: http.Header{"Content-Type": {"application/json"}, "X-Amzn-Requestid": converse.respHeader["X-Amzn-Requestid"]},
		Body:    string(converse.respBody),
	}
}

// measureCassette measures replay from a cassette of cfg.cassette interactions: the time to load
// it, and the cost of matching a request (fixtures.Cassettes.Respond, then through the
// whole handler) against a cassette of 10.
func measureCassette(cfg config, converse *request) ([]row, error) {
	dir, err := os.MkdirTemp("", "bedrock-bench-cassette")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	type side struct {
		path   string
		bodies [][]byte
		cs     *fixtures.Cassettes
	}
	sides := []*side{{path: filepath.Join(dir, "small.yaml")}, {path: filepath.Join(dir, "big.yaml")}}
	bigCassette := cfg.cassette
	for i, n := range []int{smallCassette, bigCassette} {
		if sides[i].bodies, err = writeCassette(sides[i].path, n, converse); err != nil {
			return nil, err
		}
	}

	// Load time: the median of a few loads of the big one.
	var loads []time.Duration
	for range 3 {
		start := time.Now()
		cs, err := fixtures.LoadCassettes([]string{sides[1].path})
		if err != nil {
			return nil, err
		}
		loads = append(loads, time.Since(start))
		sides[1].cs = cs
	}
	if sides[0].cs, err = fixtures.LoadCassettes([]string{sides[0].path}); err != nil {
		return nil, err
	}
	if got := sides[1].cs.Len(); got != bigCassette {
		return nil, fmt.Errorf("the cassette holds %d interactions, want %d", got, bigCassette)
	}
	info, err := os.Stat(sides[1].path)
	if err != nil {
		return nil, err
	}

	// Match cost: requests spread over the whole cassette, each answered from it; rounds
	// alternate between the two sizes.
	const spread = 100
	runs := max(cfg.allocRuns/spread, 1) * spread
	matchCost := func(s *side) (time.Duration, error) {
		calls := make([]*emulator.Call, spread)
		for k := range calls {
			body := s.bodies[k*len(s.bodies)/spread]
			calls[k] = &emulator.Call{Operation: emulator.OpConverse, ModelID: modelID, Body: body}
		}
		var failed error
		d := cpuPerOp(runs, func(n int) {
			reply, err := s.cs.Respond(context.Background(), calls[n%spread], passed)
			if err != nil || reply == nil || reply.Recorded == nil {
				failed = fmt.Errorf("request %d was not replayed (%v)", n%spread, err)
			}
		})
		return d, failed
	}
	handlerCost := func(s *side) (time.Duration, error) {
		h, err := emulator.NewHandler(s.cs.Install)
		if err != nil {
			return 0, err
		}
		var failed error
		d := cpuPerOp(runs, func(n int) {
			body := s.bodies[(n%spread)*len(s.bodies)/spread]
			r := httptest.NewRequest(http.MethodPost, converse.path, bytes.NewReader(body))
			r.Header = converse.header
			w := newRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusOK || !bytes.Equal(w.Body.Bytes(), converse.respBody) {
				failed = fmt.Errorf("replay answered %d: %s", w.Code, w.Body)
			}
		})
		return d, failed
	}
	// A request no interaction matches is left to the rest of the chain (passed).
	missCost := func(s *side) (time.Duration, error) {
		call := &emulator.Call{Operation: emulator.OpConverse, ModelID: modelID, Body: converse.body}
		var failed error
		d := cpuPerOp(max(runs/10, 1), func(int) {
			if reply, err := s.cs.Respond(context.Background(), call, passed); reply != nil || err != nil {
				failed = fmt.Errorf("a request no interaction matches was answered (%v)", err)
			}
		})
		return d, failed
	}
	var match, full, miss [2][]time.Duration
	for range max(cfg.rounds, 1) {
		for i, s := range sides {
			m, err := matchCost(s)
			if err != nil {
				return nil, err
			}
			f, err := handlerCost(s)
			if err != nil {
				return nil, err
			}
			x, err := missCost(s)
			if err != nil {
				return nil, err
			}
			match[i], full[i], miss[i] = append(match[i], m), append(full[i], f), append(miss[i], x)
		}
	}
	// The least of the rounds: other processes only ever add to a round's time.
	m0, m1 := slices.Min(match[0]), slices.Min(match[1])
	f0, f1 := slices.Min(full[0]), slices.Min(full[1])
	x0, x1 := slices.Min(miss[0]), slices.Min(miss[1])
	x := float64(m1) / float64(m0)
	return []row{
		{
			name:     fmt.Sprintf("Cassette of %s interactions: load time", count(bigCassette)),
			emulator: dur(median(loads)), reference: "—", ratio: "—",
			note: fmt.Sprintf("fixtures.LoadCassettes of a %s YAML file (go-vcr v3 format), median of %d.", mib(info.Size()), len(loads)),
		},
		{
			name:     fmt.Sprintf("Cassette match per request, %s vs %d interactions", count(bigCassette), smallCassette),
			emulator: dur(m1), reference: dur(m0) + " with 10", ratio: ratio(x),
			target: "≤ 1.5×", met: verdict(x <= 1.5),
			note: fmt.Sprintf("CPU time of fixtures.Cassettes.Respond for requests spread over the cassette, the least of %d rounds; through the whole handler: %s a request with %s interactions, %s with %d.",
				max(cfg.rounds, 1), dur(f1), count(bigCassette), dur(f0), smallCassette),
		},
		{
			name:     fmt.Sprintf("Cassette miss per request, %s vs %d interactions", count(bigCassette), smallCassette),
			emulator: dur(x1), reference: dur(x0) + " with 10", ratio: ratio(float64(x1) / float64(x0)),
			target: "≤ 1.5×", met: verdict(float64(x1)/float64(x0) <= 1.5),
			note: "CPU time of fixtures.Cassettes.Respond for a request that no interaction matches, which it leaves to the next behaviour (not strict).",
		},
	}, nil
}

// cpuPerOp runs op n times and returns the CPU time per run.
func cpuPerOp(n int, op func(int)) time.Duration {
	for i := range min(n, 50) {
		op(i)
	}
	start := cpuTime()
	for i := range n {
		op(i)
	}
	return (cpuTime() - start) / time.Duration(n)
}

// passed stands for the rest of the behaviour chain when a cassette is asked alone: it
// answers nothing.
func passed(context.Context, *emulator.Call) (*emulator.Reply, error) { return nil, nil }
