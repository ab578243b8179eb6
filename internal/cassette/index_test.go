package cassette_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
)

// TestPlayerIndex: the index the default Player keeps answers every request exactly as
// DefaultMatcher tried on every interaction in turn does, and Match as Play: duplicates in recorded order,
// recorded requests without a body (they match any body) in their place, other methods,
// operations, models and paths apart, misses and exhausted misses, with and without Repeat.
func TestPlayerIndex(t *testing.T) {
	t.Parallel()
	body := func(n int) string { return fmt.Sprintf(`{"messages":[{"role":"user","content":[{"text":"q%d"}]}]}`, n) }
	c := cassette.New("mixed.yaml")
	paths := []string{"/model/m/converse", "/model/m/converse-stream", "/model/other/converse", "/other/path?x=1"}
	for n := range 60 {
		b := body(n % 5)
		if n%7 == 3 {
			b = "" // matches any body on its route
		}
		i := interaction(paths[n%len(paths)], b, fmt.Sprint(n))
		if n%11 == 5 {
			i.Request.Method = "GET"
		}
		c.Add(i)
	}
	var requests []*cassette.Request
	for round := range 3 {
		for n := range 7 {
			for k, p := range paths {
				method := "POST"
				if (n+k+round)%9 == 0 {
					method = "GET"
				}
				requests = append(requests, &cassette.Request{Method: method, URL: p, Body: body(n)})
			}
		}
	}
	for _, repeat := range []bool{false, true} {
		indexed := cassette.NewPlayer([]*cassette.Cassette{c}, cassette.WithRepeat(repeat))
		linear := cassette.NewPlayer([]*cassette.Cassette{c}, cassette.WithRepeat(repeat), cassette.WithMatcher(cassette.DefaultMatcher))
		quiet := cassette.NewPlayer([]*cassette.Cassette{c}, cassette.WithRepeat(repeat))
		answered := 0
		for n, r := range requests {
			want, wantErr := answer(linear.Play(r))
			got, gotErr := answer(indexed.Play(r))
			if want != got || wantErr != gotErr {
				t.Fatalf("repeat %v, request %d (%s %s %s): indexed %q %q, linear %q %q", repeat, n, r.Method, r.URL, r.Body, got, gotErr, want, wantErr)
			}
			if i := quiet.Match(r); (i == nil) != (want == "") || i != nil && i.Response.Body != want {
				t.Fatalf("repeat %v, request %d: Match = %v, Play answered %q", repeat, n, i, want)
			}
			if want != "" {
				answered++
			}
		}
		if answered < len(requests)/3 {
			t.Errorf("repeat %v: only %d of %d requests matched; the test cassette matches too little", repeat, answered, len(requests))
		}
	}
}

// answer is what Play returned: the response body, or what kind of miss.
func answer(i *cassette.Interaction, err error) (string, string) {
	var miss *cassette.MissError
	switch {
	case errors.As(err, &miss) && miss.Exhausted:
		return "", "exhausted " + miss.Closest
	case err != nil:
		return "", "miss"
	}
	return i.Response.Body, ""
}
