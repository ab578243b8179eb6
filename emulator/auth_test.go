package emulator_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"regexp"
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

// The credentials the strict servers of these tests accept; the secret-shaped ones are built
// at run time, so that no scanner flags this file.
var (
	strictKey     = aws.Credentials{AccessKeyID: "AKIASTRICTEXAMPLE", SecretAccessKey: "strict/secret/EXAMPLEKEY"}
	strictSession = aws.Credentials{AccessKeyID: "ASIASTRICTEXAMPLE", SecretAccessKey: "session/secret/EXAMPLEKEY", SessionToken: "FwoG" + "ZXIvYXdzEXAMPLESESSIONTOKEN//////////"}
	strictAPIKey  = "AB" + "SKQmVkcm9ja0FQSUtleS1zdHJpY3Q="
)

func startStrict(t *testing.T, opts ...func(*emulator.Options)) *emulator.Server {
	t.Helper()
	srv := emulator.NewServer(append([]func(*emulator.Options){emulator.WithAuth(emulator.AuthStrict),
		emulator.WithCredentials(strictKey, strictSession), emulator.WithAPIKeys(strictAPIKey)}, opts...)...)
	t.Cleanup(srv.Close)
	return srv
}

// skewedSigner signs with the SDK's signer at a clock off by skew.
type skewedSigner struct{ skew time.Duration }

func (s skewedSigner) SignHTTP(ctx context.Context, c aws.Credentials, r *http.Request, hash, service, region string, t time.Time, opts ...func(*v4.SignerOptions)) error {
	return v4.NewSigner().SignHTTP(ctx, c, r, hash, service, region, t.Add(s.skew), opts...)
}

// AuthStrict verifies SigV4 signatures made by the Go SDK, and answers Bedrock's errors for
// an unknown key, a wrong secret or token, and a skewed clock (docs/wire-facts.md
// §7.1 gives the sources of each message).
func TestStrictAuthGoSDK(t *testing.T) {
	t.Parallel()
	srv := startStrict(t)
	creds := func(c aws.Credentials) func(*bedrockruntime.Options) {
		return func(o *bedrockruntime.Options) {
			o.Credentials = credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, c.SessionToken)
		}
	}
	skew := func(d time.Duration) func(*bedrockruntime.Options) {
		return func(o *bedrockruntime.Options) { o.HTTPSignerV4 = skewedSigner{d} }
	}
	tests := []struct {
		name string
		opts []func(*bedrockruntime.Options)
		code string // "" for success
		msg  string // a regular expression
	}{
		{"long-term key", []func(*bedrockruntime.Options){creds(strictKey)}, "", ""},
		{"session credentials", []func(*bedrockruntime.Options){creds(strictSession)}, "", ""},
		{"clock 4 minutes behind", []func(*bedrockruntime.Options){creds(strictKey), skew(-4 * time.Minute)}, "", ""},
		{"wrong secret", []func(*bedrockruntime.Options){creds(aws.Credentials{AccessKeyID: strictKey.AccessKeyID, SecretAccessKey: "wrong"})},
			"InvalidSignatureException", `^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\. Consult the service documentation for details\.$`},
		{"unknown key", []func(*bedrockruntime.Options){creds(aws.Credentials{AccessKeyID: "AKIAUNKNOWN", SecretAccessKey: "x"})},
			"UnrecognizedClientException", `^The security token included in the request is invalid\.$`},
		{"wrong session token", []func(*bedrockruntime.Options){creds(aws.Credentials{AccessKeyID: strictSession.AccessKeyID, SecretAccessKey: strictSession.SecretAccessKey, SessionToken: "other"})},
			"UnrecognizedClientException", `^The security token included in the request is invalid\.$`},
		{"session token on a long-term key", []func(*bedrockruntime.Options){creds(aws.Credentials{AccessKeyID: strictKey.AccessKeyID, SecretAccessKey: strictKey.SecretAccessKey, SessionToken: "token"})},
			"UnrecognizedClientException", `^The security token included in the request is invalid\.$`},
		{"clock 10 minutes behind", []func(*bedrockruntime.Options){creds(strictKey), skew(-10 * time.Minute)},
			"InvalidSignatureException", `^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$`},
		{"clock 10 minutes ahead", []func(*bedrockruntime.Options){creds(strictKey), skew(10 * time.Minute)},
			"InvalidSignatureException", `^Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z \(\d{8}T\d{6}Z \+ 5 min\.\)$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := testkit.Client(srv.URL, tt.opts...)
			_, err := c.Converse(context.Background(), &bedrockruntime.ConverseInput{
				ModelId: aws.String("anthropic.claude-3-haiku-20240307-v1:0"), Messages: []types.Message{testkit.UserText("hi")}})
			_, serr := c.ConverseStream(context.Background(), &bedrockruntime.ConverseStreamInput{
				ModelId: aws.String("us.amazon.nova-lite-v1:0"), Messages: []types.Message{testkit.UserText("hi")}})
			for op, err := range map[string]error{"Converse": err, "ConverseStream": serr} {
				if tt.code == "" {
					if err != nil {
						t.Errorf("%s: %v", op, err)
					}
					continue
				}
				if err == nil {
					t.Errorf("%s succeeded, want %s", op, tt.code)
					continue
				}
				code, msg := testkit.APIError(t, err)
				if code != tt.code || !regexp.MustCompile(tt.msg).MatchString(msg) {
					t.Errorf("%s: %s %q, want %s matching %s", op, code, msg, tt.code, tt.msg)
				}
			}
		})
	}
}

// A signature covers the body and the path: a request changed after it was signed fails.
func TestStrictAuthTampered(t *testing.T) {
	t.Parallel()
	srv := startStrict(t)
	body := `{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`
	sign := func(path, body string) *http.Request {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if err := v4.NewSigner().SignHTTP(context.Background(), strictKey, req, sha256Hex(body), "bedrock", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		return req
	}
	const haiku = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse"
	tests := []struct {
		name   string
		req    *http.Request
		status int
	}{
		{"as signed", sign(haiku, body), 200},
		{"body changed", replaceBody(sign(haiku, body), strings.Replace(body, "hi", "ho", 1)), 403},
		{"path changed", replacePath(sign(haiku, body), "/model/anthropic.claude-3-sonnet-20240229-v1%3A0/converse"), 403},
		{"signed header changed", setHeader(sign(haiku, body), "Content-Type", "application/x-amz-json-1.1"), 403},
		{"unsigned header added", setHeader(sign(haiku, body), "X-Extra", "1"), 200},
	}
	for _, tt := range tests {
		resp, err := http.DefaultClient.Do(tt.req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("%s: %d %s, want %d", tt.name, resp.StatusCode, got, tt.status)
		}
	}
}

func replaceBody(r *http.Request, body string) *http.Request {
	r.Body, r.ContentLength = io.NopCloser(strings.NewReader(body)), int64(len(body))
	return r
}

func replacePath(r *http.Request, path string) *http.Request {
	r.URL.Path, r.URL.RawPath = "", ""
	r.URL.Opaque = "//" + r.URL.Host + path
	return r
}

func setHeader(r *http.Request, k, v string) *http.Request {
	r.Header.Set(k, v)
	return r
}

// Other SDKs canonicalize requests in their own code; strict mode must accept what they sign.
func TestStrictAuthOtherSigners(t *testing.T) {
	t.Parallel()
	srv := startStrict(t)
	env := append(os.Environ(), "AWS_ACCESS_KEY_ID="+strictKey.AccessKeyID, "AWS_SECRET_ACCESS_KEY="+strictKey.SecretAccessKey,
		"AWS_DEFAULT_REGION=us-east-1", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	t.Run("boto3", func(t *testing.T) {
		t.Parallel()
		if err := exec.Command("python3", "-c", "import boto3").Run(); err != nil {
			t.Skip("boto3 is not installed")
		}
		script := `
import sys, boto3
from botocore.config import Config
from botocore.exceptions import ClientError
c = boto3.client("bedrock-runtime", endpoint_url=sys.argv[1], config=Config(retries={"max_attempts": 1}))
msgs = [{"role": "user", "content": [{"text": "hi"}]}]
c.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=msgs)
for ev in c.converse_stream(modelId="arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-lite-v1:0", messages=msgs)["stream"]:
    pass
bad = boto3.client("bedrock-runtime", endpoint_url=sys.argv[1], aws_access_key_id="` + strictKey.AccessKeyID + `", aws_secret_access_key="wrong", config=Config(retries={"max_attempts": 1}))
try:
    bad.converse(modelId="anthropic.claude-3-haiku-20240307-v1:0", messages=msgs)
    sys.exit("a wrong secret was accepted")
except ClientError as e:
    assert e.response["Error"]["Code"] == "InvalidSignatureException", e.response
    assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 403, e.response
print("ok")
`
		cmd := exec.Command("python3", "-c", script, srv.URL)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("boto3: %v\n%s", err, out)
		}
	})
	t.Run("curl", func(t *testing.T) {
		t.Parallel()
		version, err := exec.Command("curl", "--version").Output()
		if err != nil {
			t.Skip("curl is not installed")
		}
		// curl signs the path as it is, unencoded, before 8.9.0, and Bedrock refuses
		// those signatures (https://github.com/karthink/gptel/pull/918: "versions prior
		// to 8.9.0 trigger a 'The request signature we calculated does not match ...'").
		want := "200"
		var major, minor int
		fmt.Sscanf(string(version), "curl %d.%d", &major, &minor)
		if major < 8 || major == 8 && minor < 9 {
			want = "403"
		}
		out, err := exec.Command("curl", "-sS", "-w", "\n%{http_code}", "--aws-sigv4", "aws:amz:us-east-1:bedrock",
			"--user", strictKey.AccessKeyID+":"+strictKey.SecretAccessKey, "-H", "Content-Type: application/json",
			"-d", `{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}`, srv.URL+"/model/amazon.nova-micro-v1:0/converse").CombinedOutput()
		if err != nil || !strings.HasSuffix(string(out), "\n"+want) {
			t.Errorf("curl %d.%d: %v\n%s\nwant HTTP %s", major, minor, err, out, want)
		}
		// A path without characters to encode is signed the same way by every version.
		out, err = exec.Command("curl", "-sS", "-w", "\n%{http_code}", "--aws-sigv4", "aws:amz:us-east-1:bedrock",
			"--user", strictKey.AccessKeyID+":"+strictKey.SecretAccessKey, "-H", "Content-Type: application/json",
			"-d", `{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}`, srv.URL+"/model/amazon.titan-text-express-v1/converse").CombinedOutput()
		if err != nil || !strings.HasSuffix(string(out), "\n200") {
			t.Errorf("curl, a plain path: %v\n%s", err, out)
		}
	})
	t.Run("aws cli", func(t *testing.T) {
		t.Parallel()
		if _, err := exec.LookPath("aws"); err != nil {
			t.Skip("the AWS CLI is not installed")
		}
		cmd := exec.Command("aws", "bedrock-runtime", "converse", "--endpoint-url", srv.URL,
			"--model-id", "anthropic.claude-3-haiku-20240307-v1:0", "--messages", `[{"role":"user","content":[{"text":"Hi"}]}]`)
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("aws: %v\n%s", err, out)
		}
	})
}

// Strict mode needs something to accept.
func TestStrictAuthNeedsCredentials(t *testing.T) {
	t.Parallel()
	_, err := emulator.Start(emulator.WithAuth(emulator.AuthStrict))
	if !errors.Is(err, emulator.ErrNoCredentials) {
		t.Errorf("Start(AuthStrict) without credentials: %v, want ErrNoCredentials", err)
	}
}

func TestParseAuthMode(t *testing.T) {
	t.Parallel()
	for _, m := range []emulator.AuthMode{emulator.AuthAny, emulator.AuthNone, emulator.AuthStrict} {
		if got, err := emulator.ParseAuthMode(m.String()); err != nil || got != m {
			t.Errorf("ParseAuthMode(%q) = %v, %v", m, got, err)
		}
	}
	if _, err := emulator.ParseAuthMode("sometimes"); err == nil {
		t.Error(`ParseAuthMode("sometimes") succeeded`)
	}
}

// The admin endpoints take a token or are turned off; the health check stays open for
// container health checks either way.
func TestAdminGuard(t *testing.T) {
	t.Parallel()
	withToken := emulator.NewServer(emulator.WithAdminToken("s3cret-admin"))
	defer withToken.Close()
	off := emulator.NewServer(func(o *emulator.Options) { o.DisableAdmin = true })
	defer off.Close()
	tests := []struct {
		name   string
		url    string
		token  string
		status int
		body   string
	}{
		{"health, token set", withToken.URL + "/_emulator/health", "", 200, `{"status":"ok"}`},
		{"journal without the token", withToken.URL + "/_emulator/requests", "", 401, `{"message":"The admin API needs the header Authorization: Bearer <admin token>."}`},
		{"journal with a wrong token", withToken.URL + "/_emulator/requests", "s3cret-admin2", 401, `{"message":"The admin API needs the header Authorization: Bearer <admin token>."}`},
		{"journal with the token", withToken.URL + "/_emulator/requests", "s3cret-admin", 200, "{\"requests\":[]}\n"},
		{"health, admin off", off.URL + "/_emulator/health", "", 200, `{"status":"ok"}`},
		{"journal, admin off", off.URL + "/_emulator/requests", "s3cret-admin", 200, `{"Output":{"__type":"com.amazon.coral.service#UnknownOperationException"},"Version":"1.0"}`},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(http.MethodGet, tt.url, nil)
		if tt.token != "" {
			req.Header.Set("Authorization", "Bearer "+tt.token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || string(body) != tt.body {
			t.Errorf("%s: %d %s, want %d %s", tt.name, resp.StatusCode, body, tt.status, tt.body)
		}
	}
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// Bedrock API keys in strict mode: the configured ones pass; others get the authorizer's
// answers, which depend on whether the key looks like a Bedrock key. (The Go SDK sends a
// Bearer token over HTTPS only, so these are raw requests.)
func TestStrictAuthAPIKeys(t *testing.T) {
	t.Parallel()
	srv := startStrict(t)
	tests := []struct {
		key, want string
		status    int
	}{
		{strictAPIKey, "", 200},
		{"ABSKbm90IGEga2V5", `{"Message":"Authentication failed: Please make sure your API Key is valid."}`, 403},
		{"bedrock-api-key-bm90IGEga2V5", `{"Message":"Authentication failed: Please make sure your API Key is valid."}`, 403},
		{"sk-proj-0123456789", `{"Message":"Invalid API Key format: Must start with pre-defined prefix"}`, 403},
	}
	for _, tt := range tests {
		for _, op := range []string{"converse", "converse-stream"} {
			resp := post(t, srv.URL+"/model/anthropic.claude-3-haiku-20240307-v1%3A0/"+op, `{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`,
				http.Header{"Authorization": {"Bearer " + tt.key}})
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status || tt.want != "" && string(body) != tt.want {
				t.Errorf("%s with key %q: %d %s, want %d %s", op, tt.key, resp.StatusCode, body, tt.status, tt.want)
			}
			if tt.status == 403 && resp.Header.Get("X-Amzn-Errortype") != "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/" {
				t.Errorf("%s with key %q: x-amzn-ErrorType %q", op, tt.key, resp.Header.Get("X-Amzn-Errortype"))
			}
		}
	}
}

// TestAdminTokenCookie: with an admin token, the web inspector's page and the admin API
// take it in the Authorization header or in the cookie that opening the page with
// ?token= sets; the redirect that sets it drops the token from the address.
func TestAdminTokenCookie(t *testing.T) {
	t.Parallel()
	const token = "s3cret-admin"
	page := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "the page") })
	// These routes stand in for the web inspector's (whose own, once registered, come first:
	// the page's answers are checked by status only).
	srv := emulator.NewServer(emulator.WithAdminToken(token), emulator.WithAdmin(
		emulator.AdminRoute{Method: http.MethodGet, Path: "/ui", Handler: page},
		emulator.AdminRoute{Method: http.MethodGet, Path: "/ui/", Handler: page},
		emulator.AdminRoute{Method: http.MethodGet, Path: "/ui/app.js", Handler: page}))
	t.Cleanup(srv.Close)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string, header http.Header) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		maps.Copy(req.Header, header)
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if loc := resp.Header.Get("Location"); strings.Contains(loc, token) || strings.Contains(string(body), token) {
			t.Errorf("GET %s: the answer shows the token: Location %q, body %s", path, loc, body)
		}
		return resp, string(body)
	}
	bearer := http.Header{"Authorization": {"Bearer " + token}}
	cookie := http.Header{"Cookie": {emulator.AdminCookie + "=" + token}}
	for _, c := range []struct {
		name, path string
		header     http.Header
		status     int
		body       string // what the body holds
	}{
		{"page without the token", "/_emulator/ui/", nil, 401, "/_emulator/ui/?token=&lt;admin token&gt;"},
		{"page file without the token", "/_emulator/ui/app.js", nil, 401, "?token="},
		{"API without the token", "/_emulator/requests/summary", nil, 401, "Authorization: Bearer"},
		{"page with a wrong cookie", "/_emulator/ui/", http.Header{"Cookie": {emulator.AdminCookie + "=nope"}}, 401, "?token="},
		{"API with a wrong cookie", "/_emulator/requests", http.Header{"Cookie": {emulator.AdminCookie + "=nope"}}, 401, "Authorization"},
		{"page with the header", "/_emulator/ui/", bearer, 200, ""},
		{"API with the header", "/_emulator/requests/summary", bearer, 200, `"requests":[]`},
		{"page with the cookie", "/_emulator/ui/", cookie, 200, ""},
		{"API with the cookie", "/_emulator/requests/summary", cookie, 200, `"requests":[]`},
		{"page with a wrong ?token=", "/_emulator/ui/?token=nope", nil, 401, "?token="},
		{"?token= on the API is no login", "/_emulator/requests?token=" + token, nil, 401, "Authorization"},
	} {
		resp, body := get(c.path, c.header)
		if resp.StatusCode != c.status || !strings.Contains(body, c.body) {
			t.Errorf("%s: %d %q, want %d and a body holding %q", c.name, resp.StatusCode, body, c.status, c.body)
		}
		if resp.StatusCode == 401 && resp.Header.Get("Set-Cookie") != "" {
			t.Errorf("%s: refused, yet sets a cookie", c.name)
		}
	}

	// ?token= sets the cookie and redirects to the same address without the token.
	for path, want := range map[string]string{
		"/_emulator/ui/?token=" + token:                 "/_emulator/ui/",
		"/_emulator/ui/?filter=4xx&token=" + token:      "/_emulator/ui/?filter=4xx",
		"/_emulator/ui?token=" + url.QueryEscape(token): "/_emulator/ui",
		"/_emulator/ui/app.js?token=" + token + "&v=2":  "/_emulator/ui/app.js?v=2",
	} {
		resp, _ := get(path, nil)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("GET %s: %d to %q, want 303 to %q", path, resp.StatusCode, resp.Header.Get("Location"), want)
		}
		cs := resp.Cookies()
		if len(cs) != 1 || cs[0].Name != emulator.AdminCookie || cs[0].Value != token || cs[0].Path != "/_emulator" ||
			!cs[0].HttpOnly || cs[0].SameSite != http.SameSiteStrictMode {
			t.Errorf("GET %s: cookies %v, want %s=<token>; Path=/_emulator; HttpOnly; SameSite=Strict", path, cs, emulator.AdminCookie)
		}
	}

	// A browser follows the redirect, and its cookie jar opens the page and the API.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	resp, err := browser.Get(srv.URL + "/_emulator/ui/?token=" + token)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Request.URL.RawQuery != "" {
		t.Errorf("following ?token=: %d at %s", resp.StatusCode, resp.Request.URL)
	}
	resp, err = browser.Get(srv.URL + "/_emulator/requests/summary")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("the API with the browser's cookie: %d", resp.StatusCode)
	}
}

// TestAdminCrossOrigin: a browser's cross-origin request that changes something is refused,
// with the cookie or without a token: another site's page must not drive the admin API.
func TestAdminCrossOrigin(t *testing.T) {
	t.Parallel()
	for _, token := range []string{"", "s3cret-admin"} {
		srv := emulator.NewServer(emulator.WithAdminToken(token))
		for _, c := range []struct {
			name   string
			header http.Header
			status int
		}{
			{"cross-site", http.Header{"Sec-Fetch-Site": {"cross-site"}}, 403},
			{"another origin", http.Header{"Origin": {"http://localhost:3000"}}, 403},
			{"same origin", http.Header{"Sec-Fetch-Site": {"same-origin"}}, 204},
			{"not a browser", nil, 204},
		} {
			req, _ := http.NewRequest(http.MethodDelete, srv.URL+"/_emulator/requests", nil)
			maps.Copy(req.Header, c.header)
			if token != "" {
				req.Header.Set("Cookie", emulator.AdminCookie+"="+token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Errorf("token %q, %s: DELETE /_emulator/requests answered %d %s, want %d", token, c.name, resp.StatusCode, body, c.status)
			}
		}
		srv.Close()
	}
}
