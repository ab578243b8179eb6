package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/bedrock-emulator/bedrock-emulator/client"
	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// journalOf returns the served emulator's journal, of test id only when id is not nil.
func journalOf(t *testing.T, url string, id *string) []emulator.Entry {
	t.Helper()
	u := url + "/_emulator/requests"
	if id != nil {
		u += "?testId=" + *id
	}
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var j struct{ Requests []emulator.Entry }
	if err := json.NewDecoder(resp.Body).Decode(&j); err != nil {
		t.Fatal(err)
	}
	return j.Requests
}

// Tests that share one served emulator, each with its own test ID (client.WithTestID), see
// only their own journal entries and their own "3rd call", in parallel, with --auth strict
// verifying the signed header; requests without one share the default scope.
func TestServeTestIDs(t *testing.T) {
	t.Parallel()
	script := filepath.Join(t.TempDir(), "third.yaml")
	os.WriteFile(script, []byte("version: 1\nrules:\n  - name: third\n    match: {call: 3}\n    reply: {text: third call}\n  - name: other\n    reply: {text: another call}\n"), 0o644)
	url := startServe(t, []string{"BEDROCK_EMULATOR_CREDENTIALS=AKIDEMULATOR:emulator-secret"}, "--auth", "strict", "--script", script)

	t.Run("tests", func(t *testing.T) {
		for _, id := range []string{"test-a", "test-b", "test-c"} {
			t.Run(id, func(t *testing.T) {
				t.Parallel()
				c := client.New(url, client.WithTestID(id))
				var got []string
				for i := range 4 {
					reply, err := say(c, fmt.Sprintf("%s call %d", id, i+1))
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, reply)
				}
				if want := []string{"another call", "another call", "third call", "another call"}; fmt.Sprint(got) != fmt.Sprint(want) {
					t.Errorf("replies %q, want %q", got, want)
				}
				entries := journalOf(t, url, &id)
				if len(entries) != 4 {
					t.Fatalf("journal of %s: %d entries, want 4", id, len(entries))
				}
				for _, e := range entries {
					if e.TestID != id {
						t.Errorf("journal of %s holds an entry of %q", id, e.TestID)
					}
				}
			})
		}
	})

	// The default scope saw none of those calls: its 3rd call is its own.
	c := client.New(url)
	for i, want := range []string{"another call", "another call", "third call"} {
		if got, err := say(c, "no test"); err != nil || got != want {
			t.Errorf("default scope, call %d: %q, %v; want %q", i+1, got, err, want)
		}
	}
	none := ""
	if n := len(journalOf(t, url, &none)); n != 3 {
		t.Errorf("journal of the calls without a test ID: %d entries, want 3", n)
	}

	// DELETE ?testId= resets that test's part only: its journal and its call counts.
	a := "test-a"
	for _, path := range []string{"/_emulator/requests?testId=test-a", "/_emulator/scripts?testId=test-a"} {
		req, _ := http.NewRequest(http.MethodDelete, url+path, nil)
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusNoContent {
			t.Fatalf("DELETE %s: %v %v", path, resp, err)
		}
	}
	if n, all := len(journalOf(t, url, &a)), len(journalOf(t, url, nil)); n != 0 || all != 8+3 {
		t.Errorf("after DELETE of test-a: %d of its entries, %d in all; want 0 and 11", n, all)
	}
	ca := client.New(url, client.WithTestID("test-a"))
	for i, want := range []string{"another call", "another call", "third call"} {
		if got, err := say(ca, "again"); err != nil || got != want {
			t.Errorf("test-a after its reset, call %d: %q, %v; want %q", i+1, got, err, want)
		}
	}

	// A header added after signing (unsigned) passes --auth strict too: only signed headers
	// are verified.
	late := client.New(url, func(o *bedrockruntime.Options) {
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Finalize.Add(middleware.FinalizeMiddlewareFunc("LateTestID", func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				in.Request.(*smithyhttp.Request).Header.Set(client.TestIDHeader, "late")
				return next.HandleFinalize(ctx, in)
			}), middleware.After)
		})
	})
	if _, err := say(late, "late"); err != nil {
		t.Errorf("unsigned test ID header under --auth strict: %v", err)
	}
	// A test ID is at most 256 bytes, so that the journal and the scripts' counts stay small.
	long := client.New(url, testkit.NoRetry, client.WithTestID(strings.Repeat("x", emulator.MaxTestIDBytes+1)))
	if _, err := say(long, "long"); testkit.ErrorCode(err) != "ValidationException" {
		t.Errorf("a test ID of %d bytes: %v, want a ValidationException", emulator.MaxTestIDBytes+1, err)
	}
	late2 := "late"
	if n := len(journalOf(t, url, &late2)); n != 1 {
		t.Errorf("journal of the unsigned test ID: %d entries, want 1", n)
	}
}
