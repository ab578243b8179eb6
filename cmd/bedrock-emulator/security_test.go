package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// serve --auth strict takes its credentials and admin token from the environment, verifies
// signatures with them, and guards the admin API; a bad setting stops it with one line that
// quotes no secret, and the help prints none.
func TestServeSecurity(t *testing.T) {
	t.Parallel()
	const (
		key, secret = "AKIACLIEXAMPLE", "cli/secret/EXAMPLE"
		adminToken  = "cli-admin-token"
	)
	env := []string{"BEDROCK_EMULATOR_CREDENTIALS=" + key + ":" + secret, "BEDROCK_EMULATOR_ADMIN_TOKEN=" + adminToken}

	url := startServe(t, env, "--auth", "strict")

	converse := func(secret string) error {
		c := testkit.Client(url, func(o *bedrockruntime.Options) {
			o.Credentials = credentials.NewStaticCredentialsProvider(key, secret, "")
		})
		_, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String("amazon.nova-micro-v1:0"),
			Messages: []types.Message{testkit.UserText("hi")}})
		return err
	}
	if err := converse(secret); err != nil {
		t.Errorf("signed with the configured secret: %v", err)
	}
	if err := converse("wrong"); testkit.ErrorCode(err) != "InvalidSignatureException" {
		t.Errorf("signed with a wrong secret: %v, want InvalidSignatureException", err)
	}
	for token, want := range map[string]int{"": 401, adminToken: 200} {
		req, _ := http.NewRequest(http.MethodGet, url+"/_emulator/requests", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("admin API with token %q: %d, want %d", token, resp.StatusCode, want)
		}
	}
	if code, out, errOut := exit(t, nil, "health", "--url", url); code != 0 {
		t.Errorf("health with an admin token set: exit %d %s%s", code, out, errOut)
	}

	tests := []struct {
		env  []string
		args []string
		want string
	}{
		{nil, []string{"--auth", "strict"}, "bedrock-emulator: --auth strict needs --credentials or --api-keys (or BEDROCK_EMULATOR_CREDENTIALS, BEDROCK_EMULATOR_API_KEYS)\n"},
		{nil, []string{"--auth", "strict", "--credentials", key + ":" + secret + ",nosecret"}, "bedrock-emulator: --credentials: entry 2 is not KEY:SECRET or KEY:SECRET:SESSION_TOKEN\n"},
		{[]string{"BEDROCK_EMULATOR_NO_ADMIN=maybe"}, nil, `bedrock-emulator: BEDROCK_EMULATOR_NO_ADMIN="maybe": parse error` + "\n"},
	}
	for _, tt := range tests {
		code, stdout, stderr := exit(t, tt.env, append([]string{"serve", "--addr", "127.0.0.1:0"}, tt.args...)...)
		if code != 2 || stdout+stderr != tt.want {
			t.Errorf("serve %q: exit %d\n%s%s\nwant\n%s", tt.args, code, stdout, stderr, tt.want)
		}
	}

	// The help shows no value read from the environment.
	if _, stdout, _ := exit(t, env, "serve", "-h"); !strings.Contains(stdout, "-admin-token") || strings.Contains(stdout, secret) || strings.Contains(stdout, adminToken) {
		t.Errorf("serve -h:\n%s", stdout)
	}
}
