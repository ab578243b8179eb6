package recorder_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/google/go-cmp/cmp"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/fixtures"
	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
	"github.com/bedrock-emulator/bedrock-emulator/recorder"
)

// haveBoto3 reports whether python3 can import boto3.
var haveBoto3 = sync.OnceValue(func() bool { return exec.Command("python3", "-c", "import boto3").Run() == nil })

// boto3Flows runs testdata/boto3_flows.py against url and returns its JSON results, or ""
// when boto3 is not installed.
func boto3Flows(t *testing.T, url string) string {
	t.Helper()
	if !haveBoto3() {
		return ""
	}
	out, err := exec.Command("python3", "testdata/boto3_flows.py", url).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("boto3 flows: %v\n%s", err, stderr)
	}
	return string(out)
}

// TestProxyRecordReplay records the Go SDK and boto3 through the proxy against a stand-in
// for Bedrock (an emulator answering from a Go Behaviour), then replays the cassette in an
// emulator with the stand-in gone: both SDKs get identical results, streams and errors
// included (request IDs too), and the cassette holds no credential.
func TestProxyRecordReplay(t *testing.T) {
	t.Parallel()
	upstream := startStandIn(t)
	path := filepath.Join(t.TempDir(), "session.yaml")
	proxy, err := recorder.NewProxy(path,
		recorder.WithUpstream(upstream.URL),
		recorder.WithRegion("us-west-2"),
		recorder.WithCredentials(credentials.NewStaticCredentialsProvider(proxyKeyID, proxySecret, "")),
	)
	if err != nil {
		t.Fatal(err)
	}
	proxySrv := httptest.NewServer(proxy)
	recordedGo := goFlows(t, testkit.Client(proxySrv.URL))
	recordedPy := boto3Flows(t, proxySrv.URL)
	proxySrv.Close()
	if err := proxy.Save(); err != nil {
		t.Fatal(err)
	}
	auths := upstream.authorizations()
	upstream.Close()

	// The stand-in got every request re-signed with the proxy's credentials, for the
	// "bedrock" signing name and the region; none carried the caller's own signature.
	for _, a := range auths {
		if !strings.HasPrefix(a, "AWS4-HMAC-SHA256 Credential="+proxyKeyID+"/") || !strings.Contains(a, "/us-west-2/bedrock/aws4_request") {
			t.Errorf("upstream got Authorization %q, want one signed by the proxy", a)
		}
	}
	if want := len(recordedGo) + map[bool]int{true: 6}[recordedPy != ""]; len(auths) != want || proxy.Len() != want {
		t.Errorf("upstream got %d requests and the proxy recorded %d, want %d", len(auths), proxy.Len(), want)
	}
	var sigs []string
	for _, a := range auths {
		if _, sig, ok := strings.Cut(a, "Signature="); ok {
			sigs = append(sigs, sig)
		}
	}
	checkNoSecrets(t, path, sigs...)

	cas, err := fixtures.LoadCassettes([]string{path}, fixtures.WithStrict(true), fixtures.WithOnce(true))
	if err != nil {
		t.Fatal(err)
	}
	replay := emulator.NewServer(cas.Install)
	defer replay.Close()
	if diff := cmp.Diff(recordedGo, goFlows(t, testkit.Client(replay.URL))); diff != "" {
		t.Errorf("Go SDK results, recorded vs replayed (-recorded +replayed):\n%s", diff)
	}
	if recordedPy == "" {
		t.Log("boto3 is not installed (python3 -c 'import boto3' failed): recorded and replayed the Go SDK only")
	} else if replayedPy := boto3Flows(t, replay.URL); replayedPy != recordedPy {
		t.Errorf("boto3 results differ:\nrecorded: %s\nreplayed: %s", recordedPy, replayedPy)
	}
	if left := cas.Unplayed(); len(left) > 0 {
		t.Errorf("interactions not replayed: %v", left)
	}
	for _, r := range recordedGo {
		if r.Err == "" && r.RequestID == "" {
			t.Errorf("%s: no request ID", r.Call)
		}
	}
}

// TestProxySignature checks the proxy's signature the way Bedrock would: recomputed from the
// request the upstream received, with the proxy's credentials, it is the one sent. The path
// is the model ARN percent-encoded, as the SDKs send it.
func TestProxySignature(t *testing.T) {
	t.Parallel()
	creds := aws.Credentials{AccessKeyID: proxyKeyID, SecretAccessKey: proxySecret, SessionToken: "session/token+x"}
	var problems []string
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := new(bytes.Buffer)
		body.ReadFrom(r.Body)
		check, _ := http.NewRequest(r.Method, "http://"+r.Host+r.RequestURI, bytes.NewReader(body.Bytes()))
		for k, v := range r.Header {
			check.Header[k] = v
		}
		got := check.Header.Get("Authorization")
		check.Header.Del("Authorization")
		when, _ := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
		hash := sha256Hex(body.Bytes())
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, check, hash, "bedrock", "eu-central-1", when); err != nil {
			problems = append(problems, err.Error())
		}
		if want := check.Header.Get("Authorization"); got != want {
			problems = append(problems, "Authorization "+got+", want "+want)
		}
		if tok := r.Header.Get("X-Amz-Security-Token"); tok != creds.SessionToken {
			problems = append(problems, "X-Amz-Security-Token "+tok)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"metrics":{"latencyMs":1},"output":{"message":{"content":[{"text":"ok"}],"role":"assistant"}},"stopReason":"end_turn","usage":{"inputTokens":1,"outputTokens":1,"totalTokens":2}}`))
	}))
	defer upstream.Close()
	path := filepath.Join(t.TempDir(), "c.yaml")
	proxy, err := recorder.NewProxy(path, recorder.WithUpstream(upstream.URL), recorder.WithRegion("eu-central-1"),
		recorder.WithCredentials(credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken)))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(proxy)
	defer srv.Close()
	arn := "arn:aws:bedrock:eu-central-1:123456789012:application-inference-profile/abc"
	if _, err := testkit.Client(srv.URL).Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(arn), Messages: userSays("Hi")}); err != nil {
		t.Fatal(err)
	}
	srv.Close() // waits for the handler to finish recording
	for _, p := range problems {
		t.Error(p)
	}
	if err := proxy.Save(); err != nil {
		t.Fatal(err)
	}
	checkNoSecrets(t, path, "session/token+x")
}

// TestProxyBearer: a request with a Bedrock API key is forwarded with it, not re-signed,
// and the key is redacted in the cassette.
func TestProxyBearer(t *testing.T) {
	t.Parallel()
	upstream := startStandIn(t)
	path := filepath.Join(t.TempDir(), "c.yaml")
	proxy, err := recorder.NewProxy(path, recorder.WithUpstream(upstream.URL)) // no credentials
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(proxy)
	defer srv.Close()
	key := "ABSK" + strings.Repeat("QmVkcm9jaw", 8)
	post := func(auth string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/model/"+model+"/converse", strings.NewReader(`{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}`))
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if resp := post("Bearer " + key); resp.StatusCode != 200 {
		t.Errorf("Bearer request: %s", resp.Status)
	}
	if got := upstream.authorizations(); len(got) != 1 || got[0] != "Bearer "+key {
		t.Errorf("upstream got %q, want the caller's Bearer key", got)
	}
	// Without credentials a SigV4 request cannot be re-signed: a clear error, not forwarded.
	if resp := post("AWS4-HMAC-SHA256 Credential=AKIDEMULATOR/20250101/us-east-1/bedrock/aws4_request"); resp.StatusCode != 500 {
		t.Errorf("unsigned-able request: %s, want 500", resp.Status)
	}
	if n := len(upstream.authorizations()); n != 1 {
		t.Errorf("upstream got %d requests, want 1", n)
	}
	srv.Close()
	if err := proxy.Save(); err != nil {
		t.Fatal(err)
	}
	checkNoSecrets(t, path, key)
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Interactions[0].Request.Headers.Get("Authorization"); got != "Bearer REDACTED" {
		t.Errorf("recorded Authorization %q, want Bearer REDACTED", got)
	}
}

// TestProxyStreamsThrough: the caller gets each frame as it comes, before the upstream has
// finished the stream, and the cassette keeps each frame's arrival offset.
func TestProxyStreamsThrough(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	upstream := emulator.NewServer(emulator.WithAuth(emulator.AuthNone), emulator.WithBehaviour(emulator.BehaviourFunc(
		func(ctx context.Context, c *emulator.Call) (*emulator.Reply, error) {
			return &emulator.Reply{Content: []emulator.Block{emulator.TextBlock("one two three")},
				Stream: emulator.StreamShape{PerDelta: 30 * time.Millisecond}}, nil
		})))
	defer upstream.Close()
	gate := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Hold the stream after its first frames until the caller has seen them.
		resp, err := http.Post(upstream.URL+r.URL.EscapedPath(), "application/json", r.Body)
		if err != nil {
			t.Error(err)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		buf := make([]byte, 4096)
		n, _ := resp.Body.Read(buf) // at least messageStart
		w.Write(buf[:n])
		w.(http.Flusher).Flush()
		<-release
		for {
			n, err := resp.Body.Read(buf)
			w.Write(buf[:n])
			w.(http.Flusher).Flush()
			if err != nil {
				return
			}
		}
	}))
	defer gate.Close()
	path := filepath.Join(t.TempDir(), "c.yaml")
	proxy, err := recorder.NewProxy(path, recorder.WithUpstream(gate.URL), recorder.WithCredentials(credentials.NewStaticCredentialsProvider(proxyKeyID, proxySecret, "")))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(proxy)
	defer srv.Close()
	out, err := testkit.Client(srv.URL).ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model), Messages: userSays("Hi")})
	if err != nil {
		t.Fatal(err)
	}
	stream := out.GetStream()
	first := <-stream.Events() // arrives while the rest is held back
	close(release)
	n := 1
	for range stream.Events() {
		n++
	}
	if err := stream.Err(); err != nil || first == nil || n < 5 {
		t.Fatalf("stream: first %T, %d events, %v", first, n, err)
	}
	srv.Close()
	if err := proxy.Save(); err != nil {
		t.Fatal(err)
	}
	c, err := cassette.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	frames := c.Interactions[0].Response.Frames
	if len(frames) != n {
		t.Fatalf("recorded %d frames, the SDK got %d events", len(frames), n)
	}
	for k := 1; k < len(frames); k++ {
		if frames[k].At < frames[k-1].At {
			t.Errorf("frame %d arrived at %v, before frame %d at %v", k, frames[k].At, k-1, frames[k-1].At)
		}
	}
	// The upstream sends its three deltas 30ms apart, the last 90ms after messageStart; the
	// offsets count from the response headers, which came with messageStart or later.
	if last := frames[len(frames)-1].At; last < 30*time.Millisecond {
		t.Errorf("last frame recorded at %v, want the upstream's pace (at least 30ms)", last)
	}
}

// TestProxyAppend: with Append the cassette's interactions are kept and new ones follow;
// without it the first save replaces the cassette. Before anything is recorded, Save
// leaves the file alone.
func TestProxyAppend(t *testing.T) {
	t.Parallel()
	upstream := startStandIn(t)
	path := filepath.Join(t.TempDir(), "c.yaml")
	record := func(appendTo bool, prompt string) *recorder.Proxy {
		proxy, err := recorder.NewProxy(path, recorder.WithUpstream(upstream.URL), recorder.WithAppend(appendTo), recorder.WithCredentials(credentials.NewStaticCredentialsProvider(proxyKeyID, proxySecret, "")))
		if err != nil {
			t.Fatal(err)
		}
		if err := proxy.Save(); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(proxy)
		if _, err := testkit.Client(srv.URL).Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: userSays(prompt)}); err != nil {
			t.Fatal(err)
		}
		srv.Close() // waits for the handler to finish recording
		if err := proxy.Save(); err != nil {
			t.Fatal(err)
		}
		return proxy
	}
	prompts := func() []string {
		c, err := cassette.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, i := range c.Interactions {
			var body struct {
				Messages []struct{ Content []struct{ Text string } }
			}
			json.Unmarshal([]byte(i.Request.Body), &body)
			out = append(out, body.Messages[0].Content[0].Text)
		}
		return out
	}
	record(false, "first")
	record(true, "second")
	if diff := cmp.Diff([]string{"first", "second"}, prompts()); diff != "" {
		t.Errorf("after append (-want +got):\n%s", diff)
	}
	before, _ := os.ReadFile(path)
	if _, err := recorder.NewProxy(path, recorder.WithUpstream(upstream.URL)); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a new proxy changed the cassette before recording anything")
	}
	record(false, "third")
	if diff := cmp.Diff([]string{"third"}, prompts()); diff != "" {
		t.Errorf("after a new recording (-want +got):\n%s", diff)
	}
}
