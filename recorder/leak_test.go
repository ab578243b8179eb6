package recorder_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
	"github.com/bedrock-emulator/bedrock-emulator/recorder"
)

// Bedrock's long answer to a signature it cannot match quotes the canonical request it
// computed, signed headers and all, the session token among them: "...\nx-amz-date:…\n
// x-amz-security-token:ABC\n\ncontent-type;host;x-amz-date;x-amz-security-token…"
// (https://github.com/avante-corp/avante.nvim/issues/2032,
// https://github.com/BerriAI/litellm/issues/14763). A recording of such an answer must not
// keep the token, whatever its shape: session tokens have begun with "IQoJb3JpZ2lu",
// "AgoJb3JpZ2lu", "FwoGZXIvYXdz" or "FQoGZXIvYXdz" over the years, and nothing keeps a
// credential provider from handing out others. The recording may be refused, or kept with
// the token redacted; no file and no log line may hold it.
func TestProxyNoEchoedSecretSaved(t *testing.T) {
	t.Parallel()
	tokens := map[string]string{ // built at run time, so that no scanner flags this file
		"current shape": "IQoJ" + "b3JpZ2lu" + strings.Repeat("X2VjEJr", 6),
		"older shape":   "AgoJ" + "b3JpZ2lu" + strings.Repeat("X2VjEJr", 6),
		"2017 shape":    "FQoG" + "ZXIvYXdz" + strings.Repeat("EJr//////", 4),
		"other shape":   "opaque-session-token-" + strings.Repeat("0123", 6),
	}
	for name, token := range tokens {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				canonical := "POST\n" + r.URL.EscapedPath() + "\n\ncontent-type:application/json\nhost:" + r.Host +
					"\nx-amz-date:" + r.Header.Get("X-Amz-Date") + "\nx-amz-security-token:" + r.Header.Get("X-Amz-Security-Token") +
					"\n\ncontent-type;host;x-amz-date;x-amz-security-token\n0000"
				w.Header().Set("Content-Type", "application/json")
				w.Header()["x-amzn-ErrorType"] = []string{"InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/"}
				w.WriteHeader(http.StatusForbidden)
				w.Write([]byte(`{"message":"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'` +
					strings.ReplaceAll(canonical, "\n", `\n`) + `'\n"}`))
			}))
			defer upstream.Close()
			dir := t.TempDir()
			var logs bytes.Buffer
			proxy, err := recorder.NewProxy(filepath.Join(dir, "c.yaml"), recorder.WithUpstream(upstream.URL),
				recorder.WithCredentials(credentials.NewStaticCredentialsProvider(proxyKeyID, proxySecret, token)),
				recorder.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(proxy)
			_, err = testkit.Client(srv.URL).Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: userSays("Hi")})
			if err == nil || !strings.Contains(err.Error(), "InvalidSignatureException") {
				t.Fatalf("the stand-in's answer did not come through: %v", err)
			}
			srv.Close()
			saveErr := proxy.Save() // a refusal is fine; a file with the token is not
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
				for what, secret := range map[string]string{"session token": token, "secret key": proxySecret} {
					if bytes.Contains(data, []byte(secret)) {
						t.Errorf("%s holds the %s (Save: %v)", e.Name(), what, saveErr)
					}
				}
			}
			if strings.Contains(logs.String(), token) || strings.Contains(logs.String(), proxySecret) {
				t.Errorf("the proxy's log holds a secret:\n%s", logs.String())
			}
		})
	}
}
