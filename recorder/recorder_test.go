package recorder_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/google/go-cmp/cmp"
	vcr "gopkg.in/dnaeon/go-vcr.v3/recorder"

	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
	"github.com/bedrock-emulator/bedrock-emulator/recorder"
)

// replayClient is a Go SDK client as a test in CI builds it: no region, no credentials, no
// endpoint, only the recorder's option.
func replayClient(r *recorder.Recorder) *bedrockruntime.Client {
	return bedrockruntime.New(bedrockruntime.Options{RetryMaxAttempts: 1}, r.Bedrock())
}

func newRecorder(t *testing.T, path string, opts ...func(*recorder.Options)) *recorder.Recorder {
	t.Helper()
	r, err := recorder.New(path, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// recordFlows records the Go flows against a stand-in into path and returns their results.
func recordFlows(t *testing.T, path string) []result {
	t.Helper()
	upstream := startStandIn(t)
	rec := newRecorder(t, path, recorder.WithMode(recorder.ModeRecordOnly))
	got := goFlows(t, testkit.Client(upstream.URL, rec.Bedrock()))
	if err := rec.Stop(); err != nil {
		t.Fatal(err)
	}
	upstream.Close()
	return got
}

// TestRecorderRecordReplay records the Go SDK's calls against a stand-in for Bedrock, then
// replays them with no upstream, region, credentials or endpoint: identical results,
// streams, errors and request IDs included, and no credential in the cassette.
func TestRecorderRecordReplay(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "flows.yaml")
	recorded := recordFlows(t, path)
	checkNoSecrets(t, path)

	rec := newRecorder(t, path) // replay: the default mode
	if rec.Mode() != recorder.ModeReplayOnly {
		t.Fatalf("default mode %v, want replay", rec.Mode())
	}
	if diff := cmp.Diff(recorded, goFlows(t, replayClient(rec))); diff != "" {
		t.Errorf("recorded vs replayed (-recorded +replayed):\n%s", diff)
	}
	if left := rec.Unplayed(); len(left) > 0 {
		t.Errorf("not replayed: %v", left)
	}
	if err := rec.Stop(); err != nil {
		t.Fatal(err)
	}

	// The stream was recorded as readable frames with their arrival offsets.
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var frames []cassette.Frame
	for _, i := range c.Interactions {
		if strings.Contains(i.Request.Body, "Stream to me") {
			frames = i.Response.Frames
		}
	}
	if len(frames) < 5 || frames[0].Header(":event-type") != "messageStart" || !strings.Contains(frames[0].Payload, `"role":"assistant"`) {
		t.Fatalf("stream recorded as %+v", frames)
	}
	if last := frames[len(frames)-1]; last.At <= frames[0].At {
		t.Errorf("frame offsets %v .. %v, want them to grow with the stand-in's pace", frames[0].At, last.At)
	}
}

// TestRecorderMiss: a request the cassette does not hold fails at once (the SDK does not
// retry it) with ErrNoMatch, saying which interaction came closest and how it differs.
func TestRecorderMiss(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "flows.yaml")
	recordFlows(t, path)
	rec := newRecorder(t, path)
	brt := bedrockruntime.New(bedrockruntime.Options{}, rec.Bedrock()) // default retries
	_, err := brt.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: userSays("Hello from Go!")})
	if !errors.Is(err, recorder.ErrNoMatch) {
		t.Fatalf("Converse: %v, want ErrNoMatch", err)
	}
	for _, want := range []string{"no recorded interaction matches: POST Converse " + model, "closest is " + path + " #0",
		"(-recorded +got)", `-`, `"Hello from Go"`, `+`, `"Hello from Go!"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("miss lacks %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "maximum number of attempts") {
		t.Errorf("the SDK retried a miss: %v", err)
	}
	if _, err := recorder.New(filepath.Join(t.TempDir(), "none.yaml")); !errors.Is(err, recorder.ErrCassetteNotFound) {
		t.Errorf("replaying a missing cassette: %v, want ErrCassetteNotFound", err)
	}
}

// TestRecorderReplayOrRecord: recorded requests are replayed (the upstream does not see
// them), new ones are recorded and added; with nothing new the cassette is not rewritten.
func TestRecorderReplayOrRecord(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "flows.yaml")
	recordFlows(t, path)
	before, _ := os.ReadFile(path)
	upstream := startStandIn(t)

	rec := newRecorder(t, path, recorder.WithMode(recorder.ModeReplayWithNewEpisodes))
	brt := testkit.Client(upstream.URL, rec.Bedrock())
	if text := converseText(t, brt, "Hello from Go"); !strings.Contains(text, "Hello from Go") {
		t.Errorf("replayed %q", text)
	}
	if n := len(upstream.authorizations()); n != 0 {
		t.Errorf("the upstream got %d requests for a recorded one", n)
	}
	if text := converseText(t, brt, "Something new"); !strings.Contains(text, "Something new") {
		t.Errorf("recorded %q", text)
	}
	if n := len(upstream.authorizations()); n != 1 {
		t.Errorf("the upstream got %d requests, want the new one", n)
	}
	if err := rec.Stop(); err != nil {
		t.Fatal(err)
	}
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(c.Interactions); n != 7 || !strings.Contains(c.Interactions[6].Request.Body, "Something new") {
		t.Errorf("cassette holds %d interactions, want the 6 recorded and the new one last", n)
	}
	checkNoSecrets(t, path)

	after, _ := os.ReadFile(path)
	rec = newRecorder(t, path, recorder.WithMode(recorder.ModeReplayWithNewEpisodes))
	converseText(t, testkit.Client(upstream.URL, rec.Bedrock()), "Something new")
	if err := rec.Stop(); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(path); !bytes.Equal(again, after) || bytes.Equal(before, after) {
		t.Error("a replay with nothing new rewrote the cassette")
	}
}

func converseText(t *testing.T, brt *bedrockruntime.Client, prompt string) string {
	t.Helper()
	out, err := brt.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: userSays(prompt)})
	if err != nil {
		t.Fatal(err)
	}
	return out.Output.(*types.ConverseOutputMemberMessage).Value.Content[0].(*types.ContentBlockMemberText).Value
}

// TestRecorderPassthrough: requests reach the upstream and nothing is written.
func TestRecorderPassthrough(t *testing.T) {
	t.Parallel()
	upstream := startStandIn(t)
	path := filepath.Join(t.TempDir(), "none.yaml")
	rec := newRecorder(t, path, recorder.WithMode(recorder.ModePassthrough))
	converseText(t, testkit.Client(upstream.URL, rec.Bedrock()), "Hi")
	if err := rec.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("passthrough wrote a cassette: %v", err)
	}
	if n := len(upstream.authorizations()); n != 1 {
		t.Errorf("upstream got %d requests, want 1", n)
	}
}

// TestRecorderHooks: AfterCapture sees the interaction before it is saved, BeforeSave on
// each save, BeforeResponseReplay before a replay; their changes stick.
func TestRecorderHooks(t *testing.T) {
	t.Parallel()
	upstream := startStandIn(t)
	path := filepath.Join(t.TempDir(), "hooks.yaml")
	var sawAuth string
	rec := newRecorder(t, path, recorder.WithMode(recorder.ModeRecordOnly),
		recorder.WithHook(recorder.AfterCaptureHook, func(i *recorder.Interaction) error {
			sawAuth = i.Request.Headers.Get("Authorization") // still there: redaction comes after
			i.Response.Headers.Del("Date")
			return nil
		}),
		recorder.WithHook(recorder.BeforeSaveHook, func(i *recorder.Interaction) error {
			i.Request.Headers.Set("X-Recorded-By", "TestRecorderHooks")
			return nil
		}))
	converseText(t, testkit.Client(upstream.URL, rec.Bedrock()), "Hi")
	if err := rec.Stop(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(sawAuth, "AWS4-HMAC-SHA256 Credential=AKIDEMULATOR/") {
		t.Errorf("AfterCapture saw Authorization %q", sawAuth)
	}
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	i := c.Interactions[0]
	if i.Response.Headers.Get("Date") != "" || i.Request.Headers.Get("X-Recorded-By") != "TestRecorderHooks" ||
		i.Request.Headers.Get("Authorization") != "AWS4-HMAC-SHA256 REDACTED" {
		t.Errorf("saved headers: request %v, response %v", i.Request.Headers, i.Response.Headers)
	}

	rec = newRecorder(t, path, recorder.WithHook(recorder.BeforeResponseReplayHook, func(i *recorder.Interaction) error {
		i.Response.Body = strings.Replace(i.Response.Body, "You said", "Replayed", 1)
		return nil
	}))
	if text := converseText(t, replayClient(rec), "Hi"); !strings.HasPrefix(text, "Replayed: Hi") {
		t.Errorf("replayed %q, want the hook's change", text)
	}
	failing := errors.New("no thanks")
	rec = newRecorder(t, path, recorder.WithHook(recorder.BeforeResponseReplayHook, func(*recorder.Interaction) error { return failing }))
	if _, err := replayClient(rec).Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: userSays("Hi")}); !errors.Is(err, failing) {
		t.Errorf("a failing hook: %v", err)
	}
}

// TestRecorderTiming: with RecordedTiming a stream takes at least as long as it took when
// recorded; only lower bounds are checked, which a slow machine cannot break.
func TestRecorderTiming(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "timed.yaml")
	c := cassette.New(path)
	i := &cassette.Interaction{}
	i.Request.Method, i.Request.URL = "POST", "https://bedrock-runtime.us-east-1.amazonaws.com/model/"+model+"/converse-stream"
	i.Response.Code, i.Response.Duration = 200, 50*time.Millisecond
	i.Response.Headers = http.Header{"Content-Type": {"application/vnd.amazon.eventstream"}}
	for n, ev := range []string{`messageStart`, `contentBlockStop`, `messageStop`, `metadata`} {
		payload := map[string]string{
			"messageStart":     `{"p":"ab","role":"assistant"}`,
			"contentBlockStop": `{"contentBlockIndex":0,"p":"abc"}`,
			"messageStop":      `{"p":"abcd","stopReason":"end_turn"}`,
			"metadata":         `{"metrics":{"latencyMs":90},"p":"a","usage":{"inputTokens":1,"outputTokens":0,"totalTokens":1}}`,
		}[ev]
		i.Response.Frames = append(i.Response.Frames, cassette.Frame{At: time.Duration(n) * 30 * time.Millisecond,
			Headers: cassette.Headers{{Name: ":event-type", Value: ev}, {Name: ":content-type", Value: "application/json"}, {Name: ":message-type", Value: "event"}},
			Payload: payload})
	}
	c.Add(i)
	if err := c.Save(path); err != nil {
		t.Fatal(err)
	}
	rec := newRecorder(t, path, recorder.WithRecordedTiming(true))
	start := time.Now()
	r := goStream(t, replayClient(rec), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model), Messages: userSays("Hi")})
	if took, want := time.Since(start), 50*time.Millisecond+90*time.Millisecond; took < want {
		t.Errorf("replay with recorded timing took %v, want at least %v", took, want)
	}
	if len(r.Events) != 4 || r.Err != "" {
		t.Errorf("replayed %v, %s", r.Events, r.Err)
	}
}

// TestHTTPClient: the *http.Client form, for clients of one's own; record in one subtest,
// replay in the next (each saves or checks when it ends).
func TestHTTPClient(t *testing.T) {
	t.Parallel()
	upstream := startStandIn(t)
	path := filepath.Join(t.TempDir(), "http.yaml")
	post := func(c *http.Client) string {
		req, _ := http.NewRequest(http.MethodPost, upstream.URL+"/model/"+model+"/converse", strings.NewReader(`{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}`))
		req.Header.Set("Authorization", "Bearer "+strings.Repeat("k", 30))
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.Header.Get("X-Amzn-Requestid") + " " + string(b)
	}
	var recorded string
	t.Run("record", func(t *testing.T) {
		recorded = post(recorder.HTTPClient(t, path, recorder.WithMode(recorder.ModeRecordOnly)))
	})
	upstream.Close()
	t.Run("replay", func(t *testing.T) {
		if got := post(recorder.HTTPClient(t, path)); got != recorded {
			t.Errorf("replayed %q, recorded %q", got, recorded)
		}
	})
	checkNoSecrets(t, path, strings.Repeat("k", 30))
}

// TestRecorderModes: the mode comes from $BEDROCK_EMULATOR_RECORDER_MODE, replay when it is
// unset; an option wins over it. Not parallel: it sets the environment.
func TestRecorderModes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(path, []byte("version: 2\ninteractions: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		env, name string
		want      recorder.Mode
	}{
		{"", "replay", recorder.ModeReplayOnly},
		{"replay", "replay", recorder.ModeReplayOnly},
		{"record", "record", recorder.ModeRecordOnly},
		{"replay-or-record", "replay-or-record", recorder.ModeReplayWithNewEpisodes},
		{"passthrough", "passthrough", recorder.ModePassthrough},
	} {
		t.Setenv(recorder.EnvMode, tt.env)
		r, err := recorder.New(path)
		if err != nil || r.Mode() != tt.want || r.Mode().String() != tt.name {
			t.Errorf("%s=%q: %v, %v; want %s", recorder.EnvMode, tt.env, r, err, tt.name)
			continue
		}
		if r, _ := recorder.New(path, recorder.WithMode(recorder.ModePassthrough)); r.Mode() != recorder.ModePassthrough {
			t.Errorf("WithMode did not win over %s=%q", recorder.EnvMode, tt.env)
		}
		if r, _ := recorder.New(path, recorder.WithMode(recorder.ModeDefault)); r.Mode() != tt.want {
			t.Errorf("WithMode(ModeDefault) with %s=%q: %v, want %s", recorder.EnvMode, tt.env, r.Mode(), tt.name)
		}
	}
	t.Setenv(recorder.EnvMode, "rec")
	if _, err := recorder.New(path); !errors.Is(err, recorder.ErrInvalidMode) || !strings.Contains(err.Error(), "replay-or-record") {
		t.Errorf("invalid mode: %v", err)
	}
}

// TestModeNumbers: the modes have go-vcr v3.2.0's order and values, plus one for the
// zero Mode, ModeDefault.
func TestModeNumbers(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		ours recorder.Mode
		vcr  vcr.Mode
	}{
		{recorder.ModeRecordOnly, vcr.ModeRecordOnly},
		{recorder.ModeReplayOnly, vcr.ModeReplayOnly},
		{recorder.ModeReplayWithNewEpisodes, vcr.ModeReplayWithNewEpisodes},
		{recorder.ModePassthrough, vcr.ModePassthrough},
	} {
		if int(tt.ours) != int(tt.vcr)+1 {
			t.Errorf("%s = %d, want go-vcr's %d plus one", tt.ours, tt.ours, tt.vcr)
		}
	}
	if recorder.ModeDefault != 0 {
		t.Errorf("ModeDefault = %d, want the zero Mode", recorder.ModeDefault)
	}
}

// TestCommittedCassettes scans every cassette committed in the module (any YAML file that
// parses as one) for secrets, as Save does for every cassette it writes.
func TestCommittedCassettes(t *testing.T) {
	t.Parallel()
	n := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && path != ".." && strings.HasPrefix(d.Name(), "."):
			return filepath.SkipDir // .git
		case d.IsDir() || !strings.HasSuffix(path, ".yaml") && !strings.HasSuffix(path, ".yml"):
			return nil
		}
		c, err := cassette.Load(path)
		if err != nil {
			return nil // not a cassette
		}
		n++
		if err := cassette.Scan(c); err != nil {
			t.Errorf("%s: %v", path, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Error("found no committed cassette; testdata/hello.yaml at least should be one")
	}
}
