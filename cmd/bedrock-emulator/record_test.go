package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// realTraffic holds real Bedrock recordings; its SOURCES.md names each file's origin.
var realTraffic = testkit.RealTraffic()

// slowUpstream stands in for Bedrock: text replies, streamed slowly (about 2s a stream).
func slowUpstream(t *testing.T) *emulator.Server {
	t.Helper()
	srv := emulator.NewServer(emulator.WithBehaviour(emulator.BehaviourFunc(func(context.Context, *emulator.Call) (*emulator.Reply, error) {
		return &emulator.Reply{Content: []emulator.Block{emulator.TextBlock(strings.Repeat("slowly ", 40))},
			Stream: emulator.StreamShape{PerDelta: 50 * time.Millisecond}}, nil
	})))
	t.Cleanup(srv.Close)
	return srv
}

// startRecord runs `record` on a free port and returns the process and the URL it printed.
// Its credentials come from the environment, as the default chain finds them.
func startRecord(t *testing.T, args ...string) (*exec.Cmd, string, *strings.Builder) {
	t.Helper()
	return start(t, []string{"AWS_ACCESS_KEY_ID=AKIDRECORDTEST", "AWS_SECRET_ACCESS_KEY=record-test-secret", "AWS_REGION=us-east-1",
		"AWS_CONFIG_FILE=" + os.DevNull, "AWS_SHARED_CREDENTIALS_FILE=" + os.DevNull, "AWS_EC2_METADATA_DISABLED=true"},
		append([]string{"record", "--addr", "127.0.0.1:0"}, args...)...)
}

// startStream starts a ConverseStream through url and waits for its first event.
func startStream(t *testing.T, url string) *bedrockruntime.ConverseStreamEventStream {
	t.Helper()
	out, err := testkit.Client(url).ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{
		ModelId: aws.String("amazon.nova-micro-v1:0"), Messages: []types.Message{testkit.UserText("Take your time")}})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := <-out.GetStream().Events(); !ok {
		t.Fatalf("no first event: %v", out.GetStream().Err())
	}
	return out.GetStream()
}

// TestRecordCommand runs the recording proxy as users do, as a process: killed in the middle
// of a recording it leaves the cassette as it was, whole; stopped with SIGTERM it finishes
// the stream in flight and saves it.
func TestRecordCommand(t *testing.T) {
	t.Parallel()
	upstream := slowUpstream(t)

	t.Run("killed mid-recording, the old cassette is intact", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "session.yaml")
		old := importedCassette(t, path, "dd-trace-py/bedrock_converse.yaml")
		cmd, url, stderr := startRecord(t, "--out", path, "--upstream", upstream.URL, "--save-every", "20ms")
		stream := startStream(t, url) // recording, not finished
		time.Sleep(100 * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		waitExit(t, cmd)
		stream.Close()
		if now, _ := os.ReadFile(path); !bytes.Equal(now, old) {
			t.Errorf("the cassette changed (stderr: %s)", stderr)
		}
		onlyFile(t, dir, "session.yaml")
	})

	t.Run("killed after a save, the cassette holds what was saved", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "session.yaml")
		cmd, url, stderr := startRecord(t, "--out", path, "--upstream", upstream.URL, "--save-every", "20ms")
		if _, err := testkit.Client(url).Converse(context.Background(), &bedrockruntime.ConverseInput{
			ModelId: aws.String("amazon.nova-micro-v1:0"), Messages: []types.Message{testkit.UserText("Quick one")}}); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if _, err := os.Stat(path); err == nil {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("no periodic save (stderr: %s)", stderr)
			}
		}
		stream := startStream(t, url)
		cmd.Process.Signal(syscall.SIGKILL)
		waitExit(t, cmd)
		stream.Close()
		c, err := cassette.Load(path)
		if err != nil {
			t.Fatalf("the cassette is damaged: %v", err)
		}
		if len(c.Interactions) != 1 || !strings.Contains(c.Interactions[0].Request.Body, "Quick one") {
			t.Errorf("cassette holds %d interactions, want the finished Converse", len(c.Interactions))
		}
		checkClean(t, path)
		onlyFile(t, dir, "session.yaml")
	})

	t.Run("SIGTERM saves the stream in flight", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "session.yaml")
		cmd, url, stderr := startRecord(t, "--out", path, "--upstream", upstream.URL)
		stream := startStream(t, url)
		cmd.Process.Signal(syscall.SIGTERM)
		events := 1
		for range stream.Events() {
			events++
		}
		if err := stream.Err(); err != nil {
			t.Errorf("the stream broke: %v", err)
		}
		if err := waitExit(t, cmd); err != nil {
			t.Fatalf("exit: %v (stderr: %s)", err, stderr)
		}
		c, err := cassette.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Interactions) != 1 || len(c.Interactions[0].Response.Frames) != events {
			t.Fatalf("cassette: %d interactions, want 1 with %d frames", len(c.Interactions), events)
		}
		if !strings.Contains(stderr.String(), "recorded 1 interaction(s) to "+path) {
			t.Errorf("stderr: %s", stderr)
		}
		checkClean(t, path)
	})

	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no cassette", []string{"record"}, "--out FILE is required"},
		{"bad upstream", []string{"record", "--out", "x.yaml", "--upstream", "ftp://x"}, `upstream "ftp://x" is not an http(s) URL`},
		{"bad save interval", []string{"record", "--out", "x.yaml", "--save-every", "0s"}, "--save-every must be positive"},
		{"cassette without subcommand", []string{"cassette"}, "no subcommand given"},
		{"unknown cassette subcommand", []string{"cassette", "play"}, `unknown subcommand "play"`},
		{"import without a model", []string{"cassette", "import", filepath.Join(realTraffic, "prism-php-bedrock", "stream-handle-exceptions-1.sse")}, "give the model ID (--model)"},
		{"show of something else", []string{"cassette", "show", "record.go"}, "not a recording in a known format"},
		{"serve with a missing cassette", []string{"serve", "--cassette", "/no/such/cassette.yaml"}, "--cassette: cassette: stat /no/such/cassette.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if code, _, stderr := exit(t, nil, tc.args...); code != 2 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want code 2 and %q", code, stderr, tc.want)
			}
		})
	}
}

// importedCassette writes the real-traffic file src to path as a cassette and returns its
// bytes.
func importedCassette(t *testing.T, path, src string) []byte {
	t.Helper()
	testkit.SaveReal(t, path, src)
	b, _ := os.ReadFile(path)
	return b
}

// onlyFile checks that dir holds name and nothing else: no temporary file was left behind.
func onlyFile(t *testing.T, dir, name string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != name {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("%s holds %v, want only %s", dir, names, name)
	}
}

// checkClean is the scan every written cassette gets: no secret-shaped string, and neither
// the recorder's credentials nor the SDK's.
func checkClean(t *testing.T, path string) {
	t.Helper()
	data, _ := os.ReadFile(path)
	c, err := cassette.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := cassette.Scan(c); err != nil {
		t.Error(err)
	}
	for _, s := range []string{"AKIDRECORDTEST", "record-test-secret", "AKIDEMULATOR", "Signature="} {
		if bytes.Contains(data, []byte(s)) {
			t.Errorf("%s holds %q", path, s)
		}
	}
}
