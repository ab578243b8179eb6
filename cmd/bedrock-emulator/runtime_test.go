package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/client"
)

// --guardrails and --prompts (or their environment variables) load definition files into
// the emulator serve starts.
func TestRuntimeFlags(t *testing.T) {
	t.Parallel()
	url := startServe(t, []string{"BEDROCK_EMULATOR_PROMPTS=" + filepath.Join("..", "..", "emulator", "testdata", "prompts.yaml")},
		"--guardrails", filepath.Join("..", "..", "emulator", "testdata", "guardrails.yaml"))
	out, err := client.New(url).Converse(context.Background(), &bedrockruntime.ConverseInput{
		ModelId:         aws.String("arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT12AB"),
		PromptVariables: map[string]types.PromptVariableValues{"topic": &types.PromptVariableValuesMemberText{Value: "crypto"}, "style": &types.PromptVariableValuesMemberText{Value: "a poem"}},
		GuardrailConfig: &types.GuardrailConfiguration{GuardrailIdentifier: aws.String("5zwrmdlsra2e"), GuardrailVersion: aws.String("1")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.StopReason != types.StopReasonGuardrailIntervened {
		t.Errorf("stopReason = %s, want the guardrail to block the prompt's topic", out.StopReason)
	}
}

// A bad definition file stops serve with one line naming the flag, the file and the fault.
func TestRuntimeFlagErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("guardrails:\n  - guardrailId: Bad_ID\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--guardrails", bad}, `--guardrails: ` + bad + `: guardrail 1: guardrailId "Bad_ID": want lowercase letters and digits`},
		{[]string{"serve", "--prompts", filepath.Join(dir, "missing.yaml")}, "--prompts: open " + filepath.Join(dir, "missing.yaml")},
	} {
		err := run(tc.args, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("run(%v) = %v, want one line containing %q", tc.args, err, tc.want)
		}
	}
}
