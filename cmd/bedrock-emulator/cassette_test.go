package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// TestCassetteImportShow: import turns other tools' recordings into one redacted cassette,
// saying what it changed; show lists it, stream events included.
func TestCassetteImportShow(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "imported.yaml")
	var stdout, stderr strings.Builder
	err := run([]string{"cassette", "import", "-o", out, "--model", "us.amazon.nova-micro-v1:0",
		filepath.Join(realTraffic, "openinference", "should-handle-streaming-tool-calls-and-responses.json"),
		filepath.Join(realTraffic, "prism-php-bedrock", "stream-handle-exceptions-1.sse"),
		filepath.Join(realTraffic, "dd-trace-py", "bedrock_converse.yaml"),
	}, &stdout, &stderr)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"the request body was pretty-printed by the recorder; compacted",
		"a bare response body; made up ConverseStream us.amazon.nova-micro-v1:0", "wrote 3 interaction(s) to " + out} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr.String())
		}
	}
	c, err := cassette.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Interactions) != 3 || c.Interactions[2].ID != 2 {
		t.Fatalf("imported %d interactions", len(c.Interactions))
	}
	// openinference's recording carries a placeholder SigV4 header and session token; they
	// are redacted like real ones.
	if h := c.Interactions[0].Request.Headers; h.Get("authorization") != "" && h.Get("authorization") != "AWS4-HMAC-SHA256 REDACTED" ||
		h["x-amz-security-token"][0] != cassette.Redacted {
		t.Errorf("imported request headers %v", h)
	}
	checkClean(t, out)

	stdout.Reset()
	if err := run([]string{"cassette", "show", out}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	shown := strings.Join(strings.Fields(stdout.String()), " ")
	for _, want := range []string{
		"#0 POST ConverseStream anthropic.claude-3-5-sonnet-20240620-v1:0",
		`contentBlockStart {"contentBlockIndex":1,"p":"ab","start":{"toolUse":{"name":"get_weather","toolUseId":"tooluse_wnjikhCUTruJciycmmm5Kg"}}}`,
		"exception modelStreamErrorException",
		"#2 POST Converse anthropic.claude-3-sonnet-20240229-v1:0",
	} {
		if !strings.Contains(shown, want) {
			t.Errorf("show lacks %q:\n%s", want, stdout.String())
		}
	}

	// Without -o the cassette goes to stdout; show reads other tools' formats directly.
	stdout.Reset()
	if err := run([]string{"cassette", "import", filepath.Join(realTraffic, "crewAI", "test_bedrock_async_conversation.yaml")}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if c, err := cassette.Parse([]byte(stdout.String())); err != nil || len(c.Interactions) != 1 {
		t.Errorf("import to stdout: %v\n%s", err, stdout.String())
	}
	stdout.Reset()
	if err := run([]string{"cassette", "show", filepath.Join(realTraffic, "crewAI", "test_bedrock_async_conversation.yaml")}, &stdout, &stderr); err != nil ||
		!strings.Contains(stdout.String(), "Your name is Alice!") {
		t.Errorf("show of a vcrpy cassette: %v\n%s", err, stdout.String())
	}
}

// TestServeCassette: serve --cassette (a directory, from the flag or the environment)
// replays what it holds and, with --cassette-strict, refuses anything else.
func TestServeCassette(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	importedCassette(t, filepath.Join(dir, "a", "converse.yaml"), "dd-trace-py/bedrock_converse.yaml")
	importedCassette(t, filepath.Join(dir, "b", "stream.yaml"), "pydantic-ai/test_bedrock_model_stream.yaml")

	for _, tc := range []struct {
		name string
		args []string
		env  []string
	}{
		{"flags", []string{"--cassette", filepath.Join(dir, "a"), "--cassette", filepath.Join(dir, "b"), "--cassette-strict"}, nil},
		{"environment", nil, []string{"BEDROCK_EMULATOR_CASSETTE=" + filepath.Join(dir, "a") + string(os.PathListSeparator) + filepath.Join(dir, "b"),
			"BEDROCK_EMULATOR_CASSETTE_STRICT=true"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cmd, url, _ := start(t, tc.env, append([]string{"serve", "--addr", "127.0.0.1:0"}, tc.args...)...)
			defer func() { cmd.Process.Signal(syscall.SIGTERM); cmd.Wait() }()
			brt := testkit.Client(url)

			s := testkit.ConverseStream(t, brt, &bedrockruntime.ConverseStreamInput{
				ModelId:         aws.String("us.amazon.nova-micro-v1:0"),
				Messages:        []types.Message{testkit.UserText("What is the capital of France?")},
				System:          []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: "You are a helpful chatbot."}},
				InferenceConfig: &types.InferenceConfiguration{Temperature: aws.Float32(0)},
			})
			if !strings.HasPrefix(s.Text, "The capital of France is Paris.") {
				t.Errorf("replayed %q (%v)", s.Text, s.Err)
			}
			_, err := brt.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String("us.amazon.nova-micro-v1:0"), Messages: []types.Message{testkit.UserText("Not recorded")}})
			if err == nil || !strings.Contains(err.Error(), "no recorded interaction matches") {
				t.Errorf("strict: %v, want a miss", err)
			}
		})
	}
}
