package emulator

import (
	"bytes"
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// AuthMode says which requests the emulator accepts.
type AuthMode int

const (
	// AuthAny accepts any request that carries a SigV4 signature (signing name "bedrock") or
	// a Bearer API key, without verifying it, and rejects one with neither, as Bedrock does.
	AuthAny AuthMode = iota
	// AuthNone accepts every request, signed or not.
	AuthNone
	// AuthStrict verifies what AuthAny takes on trust: a SigV4 signature is computed again
	// with the AWS SDK's own signer from Options.Credentials and compared, and a Bearer key
	// must be one of Options.APIKeys. A failure gets Bedrock's answer for an unknown access
	// key, a wrong signature, a skewed clock or an invalid API key. Requests signed in the
	// query string (presigned URLs) are not verified and are refused.
	AuthStrict
)

// String returns the mode's name as the command line spells it: "any", "none", "strict".
func (m AuthMode) String() string {
	switch m {
	case AuthAny:
		return "any"
	case AuthNone:
		return "none"
	case AuthStrict:
		return "strict"
	}
	return fmt.Sprintf("AuthMode(%d)", int(m))
}

// ParseAuthMode returns the mode named s ("any", "none" or "strict").
func ParseAuthMode(s string) (AuthMode, error) {
	for _, m := range []AuthMode{AuthAny, AuthNone, AuthStrict} {
		if s == m.String() {
			return m, nil
		}
	}
	return 0, fmt.Errorf("%q is not one of any, none, strict", s)
}

// WithCredentials adds AWS credentials (access key ID, secret and, for temporary ones, the
// session token) to Options.Credentials, for AuthStrict.
func WithCredentials(creds ...aws.Credentials) func(*Options) {
	return func(o *Options) { o.Credentials = append(o.Credentials, creds...) }
}

// WithAPIKeys adds Bedrock API keys (sent as "Authorization: Bearer KEY") to
// Options.APIKeys, for AuthStrict.
func WithAPIKeys(keys ...string) func(*Options) {
	return func(o *Options) { o.APIKeys = append(o.APIKeys, keys...) }
}

// WithAdminToken sets Options.AdminToken.
func WithAdminToken(token string) func(*Options) { return func(o *Options) { o.AdminToken = token } }

// ErrNoCredentials is returned by Start for AuthStrict without credentials or API keys.
var ErrNoCredentials = errors.New("strict auth needs credentials or API keys to accept")

// Bedrock's answers to requests that fail authentication (docs/wire-facts.md §7.1).
// SigV4 failures are Coral's own, in the coral.service namespace with a lowercase "message";
// missing headers and API keys are answered by Bedrock's authorizer, whose body key is
// "Message".
var (
	// errMissingAuth is Bedrock's answer to a request with no Authorization header: 403, an
	// AccessDeniedException, and a body whose key is "Message", capitalised (wire capture in
	// https://github.com/karthink/gptel/issues/1397, 2026-05).
	errMissingAuth = authorizerError("Authorization header is missing")
	// errBadAPIKey: https://github.com/anomalyco/opencode/issues/47073 (403, an expired key).
	errBadAPIKey = authorizerError("Authentication failed: Please make sure your API Key is valid.")
	// errAPIKeyFormat: https://github.com/zeroclaw-labs/zeroclaw/issues/5289 (403, a key
	// without Bedrock's prefix). unverified: the exception type.
	errAPIKeyFormat = authorizerError("Invalid API Key format: Must start with pre-defined prefix")
	// errUnknownKey: an access key ID the service does not know (Arize-ai/openinference#2358;
	// 403 in Aider-AI/aider#1986).
	errUnknownKey = coralAuthError("UnrecognizedClientException", http.StatusForbidden, "The security token included in the request is invalid.")
	// errSignature: a signature that does not match (wire capture in
	// https://github.com/aws-beam/aws-erlang/issues/161; the short form, without the
	// canonical request some answers append).
	errSignature = coralAuthError("InvalidSignatureException", http.StatusForbidden, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.")
	// errService: a credential scoped to another service. unverified: Bedrock's status and
	// type; the message is the one bedrock-mantle answered (BerriAI/litellm#31476), with
	// Bedrock's signing name.
	errService = coralAuthError("InvalidSignatureException", http.StatusForbidden, "Credential should be scoped to correct service: 'bedrock'.")
)

// bedrockKeyPrefixes are how Bedrock API keys start: short-term keys (AWS's token
// generators, e.g. aws-bedrock-token-generator, prefix "bedrock-api-key-") and long-term
// ones ("ABSK").
var bedrockKeyPrefixes = []string{"bedrock-api-key-", "ABSK"}

// clockSkew is how far X-Amz-Date may be from the server's clock: Bedrock's "Signature
// expired: … (… - 5 min.)" (anthropics/anthropic-sdk-go#122,
// aws-samples/bedrock-access-gateway#163).
const clockSkew = 5 * time.Minute

// amzDate is the layout of X-Amz-Date.
const amzDate = "20060102T150405Z"

func authorizerError(msg string) *Error {
	return &Error{Type: "AccessDeniedException", Status: http.StatusForbidden, Message: msg,
		Namespace: "com.amazon.coral.service", authorizer: true}
}

func coralAuthError(typ string, status int, msg string) *Error {
	return &Error{Type: typ, Status: status, Message: msg, Namespace: "com.amazon.coral.service"}
}

// incompleteSignature answers an Authorization header that is not a complete SigV4 header.
// unverified: Bedrock's answer was not found; other Coral services answer
// IncompleteSignatureException, 400, in these words (API Gateway's list of missing
// parameters), without echoing the header as they do.
func incompleteSignature(missing []string) *Error {
	var b strings.Builder
	for i, m := range missing {
		if i > 0 {
			b.WriteByte(' ')
		}
		if m == "X-Amz-Date" {
			b.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
			continue
		}
		fmt.Fprintf(&b, "Authorization header requires '%s' parameter.", m)
	}
	return coralAuthError("IncompleteSignatureException", http.StatusBadRequest, b.String())
}

// authenticate checks that r carries credentials of a kind Bedrock accepts and, in
// AuthStrict mode, that they are valid. Verifying a signature reads the body; r.Body is then
// replaced by a reader of the same bytes.
func (h *handler) authenticate(r *http.Request) *Error {
	if h.opts.Auth == AuthNone {
		return nil
	}
	auth := r.Header.Get("Authorization")
	switch {
	case strings.HasPrefix(auth, "AWS4-HMAC-SHA256 "):
		if h.opts.Auth == AuthStrict {
			return h.verifySignature(r, auth)
		}
		return nil
	case strings.HasPrefix(auth, "Bearer "):
		if h.opts.Auth == AuthStrict {
			return h.verifyAPIKey(strings.TrimPrefix(auth, "Bearer "))
		}
		return nil
	case r.URL.Query().Get("X-Amz-Signature") != "":
		if h.opts.Auth == AuthStrict {
			return errSignature
		}
		return nil
	}
	return errMissingAuth
}

func (h *handler) verifyAPIKey(key string) *Error {
	for _, k := range h.opts.APIKeys {
		if subtle.ConstantTimeCompare([]byte(k), []byte(key)) == 1 {
			return nil
		}
	}
	for _, p := range bedrockKeyPrefixes {
		if strings.HasPrefix(key, p) {
			return errBadAPIKey
		}
	}
	return errAPIKeyFormat
}

// verifySignature checks a SigV4 Authorization header, in the order the service reports
// failures: the header's form, the access key, the credential scope, the clock, then the
// signature itself.
func (h *handler) verifySignature(r *http.Request, auth string) *Error {
	sig, e := parseSigV4(auth)
	if e != nil {
		return e
	}
	date, err := time.Parse(amzDate, r.Header.Get("X-Amz-Date"))
	if err != nil {
		return incompleteSignature([]string{"X-Amz-Date"})
	}
	var cred *aws.Credentials
	for i, c := range h.opts.Credentials {
		if c.AccessKeyID == sig.accessKeyID {
			cred = &h.opts.Credentials[i]
			break
		}
	}
	// A session token must be the one issued with the key; a long-term key takes none.
	if cred == nil || subtle.ConstantTimeCompare([]byte(r.Header.Get("X-Amz-Security-Token")), []byte(cred.SessionToken)) != 1 {
		return errUnknownKey
	}
	if sig.service != "bedrock" {
		return errService
	}
	now := time.Now().UTC()
	switch {
	case date.Before(now.Add(-clockSkew)):
		return coralAuthError("InvalidSignatureException", http.StatusForbidden, fmt.Sprintf(
			"Signature expired: %s is now earlier than %s (%s - 5 min.)",
			date.Format(amzDate), now.Add(-clockSkew).Format(amzDate), now.Format(amzDate)))
	case date.After(now.Add(clockSkew)):
		// unverified: Bedrock's words were not found; DynamoDB's (aws/aws-sdk-js#2565),
		// with Bedrock's 5-minute window.
		return coralAuthError("InvalidSignatureException", http.StatusForbidden, fmt.Sprintf(
			"Signature not yet current: %s is still later than %s (%s + 5 min.)",
			date.Format(amzDate), now.Add(clockSkew).Format(amzDate), now.Format(amzDate)))
	}

	body, err := readBody(r, h.opts.MaxBodyBytes)
	if err != nil {
		return bodyError(err)
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	want, err := signature(r, sig, body, *cred, date)
	if err != nil || subtle.ConstantTimeCompare([]byte(want), []byte(sig.signature)) != 1 {
		return errSignature
	}
	return nil
}

// AdminCookie is the cookie that carries the admin token for a browser: the web inspector
// sets it when opened as /_emulator/ui/?token=TOKEN, and its requests to the admin API
// carry it.
const AdminCookie = "bedrock_emulator_admin"

// adminGuard keeps the admin endpoints, all but the health check, closed when
// Options.DisableAdmin is set, and, when a token is set, behind "Authorization: Bearer
// <Options.AdminToken>" or the AdminCookie holding it. GET /_emulator/ui…?token=TOKEN sets
// the cookie and redirects to the same address without the token (tokenLogin). Browsers'
// cross-origin requests that change something are refused (http.CrossOriginProtection):
// the cookie must not let another site's page drive the admin API.
func (h *handler) adminGuard(next http.Handler) http.Handler {
	next = adminCrossOrigin.Handler(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == AdminPrefix+"/health":
		case h.opts.DisableAdmin:
			unknownOperation(w, r)
			return
		case h.opts.AdminToken == "":
		case uiPath(r) && r.URL.Query().Has("token"):
			h.tokenLogin(w, r)
			return
		case !h.adminAuthorized(r):
			refuseAdmin(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// adminCrossOrigin refuses browsers' cross-origin admin requests that change something.
var adminCrossOrigin = func() *http.CrossOriginProtection {
	p := http.NewCrossOriginProtection()
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		adminError(w, http.StatusForbidden, "bedrock-emulator: a browser's cross-origin request to the admin API is refused")
	}))
	return p
}()

// uiPath reports whether r asks for the web inspector's page or one of its files.
func uiPath(r *http.Request) bool {
	return (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
		(r.URL.Path == AdminPrefix+"/ui" || strings.HasPrefix(r.URL.Path, AdminPrefix+"/ui/"))
}

// adminAuthorized reports whether r carries the admin token: in its Authorization header
// or in an AdminCookie.
func (h *handler) adminAuthorized(r *http.Request) bool {
	if got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && h.isAdminToken(got) {
		return true
	}
	for _, c := range r.CookiesNamed(AdminCookie) {
		if h.isAdminToken(c.Value) {
			return true
		}
	}
	return false
}

func (h *handler) isAdminToken(s string) bool {
	return subtle.ConstantTimeCompare([]byte(s), []byte(h.opts.AdminToken)) == 1
}

// tokenLogin answers GET /_emulator/ui…?token=TOKEN: with the admin token, it sets the
// AdminCookie (HttpOnly, SameSite=Strict, for the admin paths only) and redirects to the same
// address without the token, so that the token leaves the address bar and the history.
func (h *handler) tokenLogin(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !h.isAdminToken(q.Get("token")) {
		refuseAdmin(w, r)
		return
	}
	c := &http.Cookie{Name: AdminCookie, Value: h.opts.AdminToken, Path: AdminPrefix, HttpOnly: true, SameSite: http.SameSiteStrictMode}
	if c.Valid() != nil || strings.ContainsAny(h.opts.AdminToken, " ,") {
		adminError(w, http.StatusBadRequest, "bedrock-emulator: this admin token cannot be kept in a cookie; "+
			"give the page a token of letters, digits and -._~ (or send the header Authorization: Bearer <admin token>)")
		return
	}
	http.SetCookie(w, c)
	q.Del("token")
	loc := r.URL.EscapedPath()
	if enc := q.Encode(); enc != "" {
		loc += "?" + enc
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, loc, http.StatusSeeOther)
}

// refuseAdmin answers an admin request without the admin token: 401, with a JSON message
// for the API and a short page saying how to open the web inspector for its paths.
func refuseAdmin(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="bedrock-emulator"`)
	w.Header().Set("Cache-Control", "no-store")
	if uiPath(r) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `<!doctype html><meta charset="utf-8"><title>bedrock-emulator: admin token needed</title>`+
			"\n<p>This emulator has an admin token. Open <code>"+AdminPrefix+"/ui/?token=&lt;admin token&gt;</code> once: "+
			"a cookie then carries the token, and the address drops it.</p>\n")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusUnauthorized)
	w.Write([]byte(`{"message":"The admin API needs the header Authorization: Bearer <admin token>."}`))
}
