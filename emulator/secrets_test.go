package emulator_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// Requests carrying credentials of every kind, accepted and refused, in each auth mode:
// nothing secret reaches the logs (at debug level), the journal, or an answer.
func TestNoSecretsLeak(t *testing.T) {
	t.Parallel()
	// Secret-shaped values are built at run time, so that no scanner flags this file.
	session := aws.Credentials{AccessKeyID: "ASIA" + "LEAKCHECK0000001", SecretAccessKey: "leak/check/SECRET/0000000000000000000001", SessionToken: "IQoJ" + "b3JpZ2luLEAKCHECKSESSIONTOKEN000000000000000001"}
	apiKey := "AB" + "SKTEVBS0NIRUNLQVBJS0VZMDAwMDAwMDAwMDAwMDAx"
	adminToken := "leak-check-admin-token-0001"
	panicky := emulator.BehaviourFunc(func(_ context.Context, c *emulator.Call) (*emulator.Reply, error) {
		if t := c.Request.Messages[0].Content[0].Text; t != nil && *t == "panic" {
			panic("a behaviour failed")
		}
		return nil, nil
	})

	var logs testkit.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	common := []func(*emulator.Options){emulator.WithLogger(logger), emulator.WithBehaviour(panicky), emulator.WithAdminToken(adminToken)}
	anyMode := emulator.NewServer(common...)
	defer anyMode.Close()
	strict := emulator.NewServer(append(common, emulator.WithAuth(emulator.AuthStrict), emulator.WithCredentials(session), emulator.WithAPIKeys(apiKey))...)
	defer strict.Close()

	var seen bytes.Buffer // every answer body, the journals included
	var signatures []string
	record := func(resp *http.Response, err error) {
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		io.Copy(&seen, resp.Body)
		for k, v := range resp.Header {
			seen.WriteString(k + ": " + strings.Join(v, ",") + "\n")
		}
	}
	for _, srv := range []*emulator.Server{anyMode, strict} {
		// The Go SDK with session credentials, right and wrong, streaming and not.
		for _, secret := range []string{session.SecretAccessKey, "wrong-secret"} {
			c := testkit.Client(srv.URL, func(o *bedrockruntime.Options) {
				o.Credentials = credentials.NewStaticCredentialsProvider(session.AccessKeyID, secret, session.SessionToken)
			})
			for _, text := range []string{"hi", "panic"} {
				c.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String("anthropic.claude-3-haiku-20240307-v1:0"), Messages: []types.Message{testkit.UserText(text)}})
				if out, err := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{ModelId: aws.String("us.amazon.nova-lite-v1:0"), Messages: []types.Message{testkit.UserText(text)}}); err == nil {
					for range out.GetStream().Events() {
					}
					out.GetStream().Close()
				}
			}
		}
		// Raw requests, to know the signatures sent: signed, with a skewed clock, malformed.
		for _, skew := range []time.Duration{0, -time.Hour} {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+haiku, strings.NewReader(hi))
			v4.NewSigner().SignHTTP(context.Background(), session, req, sha256Hex(hi), "bedrock", "us-east-1", time.Now().Add(skew))
			_, sig, _ := strings.Cut(req.Header.Get("Authorization"), "Signature=")
			signatures = append(signatures, sig)
			record(http.DefaultClient.Do(req))
		}
		for _, auth := range []string{"Bearer " + apiKey, "Bearer " + apiKey + "x", "AWS4-HMAC-SHA256 Credential=" + session.AccessKeyID + "/" + session.SecretAccessKey} {
			req, _ := http.NewRequest(http.MethodPost, srv.URL+haiku, strings.NewReader(hi))
			req.Header.Set("Authorization", auth)
			record(http.DefaultClient.Do(req))
		}
		for _, token := range []string{adminToken, adminToken + "x"} {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/_emulator/requests", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			record(http.DefaultClient.Do(req))
		}
	}

	if !strings.Contains(logs.String(), "msg=request") || !strings.Contains(logs.String(), "behaviour panicked") {
		t.Fatalf("the logs lack the request and panic lines this test means to check:\n%s", logs.String())
	}
	secrets := map[string]string{
		"secret access key": session.SecretAccessKey, "session token": session.SessionToken,
		"API key": apiKey, "admin token": adminToken,
	}
	for i, sig := range signatures {
		secrets["signature "+string(rune('1'+i))] = sig
	}
	for what, secret := range secrets {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the logs hold the %s:\n%s", what, logs.String())
		}
		if strings.Contains(seen.String(), secret) {
			t.Errorf("an answer or the journal holds the %s", what)
		}
	}
	for _, e := range append(anyMode.Requests(), strict.Requests()...) {
		for what, secret := range secrets {
			if bytes.Contains(e.Request, []byte(secret)) || bytes.Contains(e.Response, []byte(secret)) || e.Error != nil && strings.Contains(e.Error.Message, secret) {
				t.Errorf("journal entry %d holds the %s", e.Seq, what)
			}
		}
	}
}
