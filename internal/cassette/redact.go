package cassette

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// Redacted replaces a secret's value.
const Redacted = "REDACTED"

// RedactOptions say what Redact removes beyond credentials, which it always removes.
type RedactOptions struct {
	// MaskAccountIDs replaces the account ID of every ARN (in the URL, the bodies, the
	// frames and the headers) with MaskedAccountID.
	MaskAccountIDs bool
}

// WithMaskAccountIDs sets RedactOptions.MaskAccountIDs.
func WithMaskAccountIDs(on bool) func(*RedactOptions) {
	return func(o *RedactOptions) { o.MaskAccountIDs = on }
}

// secretHeader reports whether a header carries a credential: SigV4's Authorization and
// session token, Bearer API keys, cookies, and anything named like a token, secret or key.
func secretHeader(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "authorization", "proxy-authorization", "x-amz-security-token", "cookie", "set-cookie", "x-api-key":
		return true
	}
	// A name ending in "token", not one that merely contains it (X-Amzn-Bedrock-Input-Token-Count).
	return strings.HasSuffix(n, "token") || strings.Contains(n, "secret") || strings.Contains(n, "password") ||
		strings.Contains(n, "api-key") || strings.Contains(n, "apikey")
}

// RedactSecretsOf takes the secret values that headers h carry (session tokens, API keys,
// SigV4 signatures) out of i's bodies and response headers, wherever they are repeated:
// Bedrock's long InvalidSignature answer quotes the canonical request, session token and
// all. A proxy passes the headers it signed the forwarded request with, which the recorded
// request does not hold.
func RedactSecretsOf(i *Interaction, h http.Header) {
	for _, secret := range secretValues(h) {
		i.Request.Body = strings.ReplaceAll(i.Request.Body, secret, Redacted)
		i.Response.Body = strings.ReplaceAll(i.Response.Body, secret, Redacted)
		for _, rh := range []http.Header{i.Response.Headers, i.Response.Trailer} {
			for k, vs := range rh {
				for n, v := range vs {
					vs[n] = strings.ReplaceAll(v, secret, Redacted)
				}
				rh[k] = vs
			}
		}
	}
}

// secretValues are the secret values a request's headers carry: every secret header's value,
// the token of a Bearer or other scheme, and a SigV4 signature. Values shorter than eight
// characters are left out, so that redacting them cannot mangle unrelated text.
func secretValues(h http.Header) []string {
	var out []string
	add := func(v string) {
		if v = strings.TrimSpace(v); len(v) >= 8 {
			out = append(out, v)
		}
	}
	for k, vs := range h {
		if !secretHeader(k) {
			continue
		}
		for _, v := range vs {
			add(v)
			if _, rest, ok := strings.Cut(v, " "); ok {
				add(rest)
			}
			if _, sig, ok := strings.Cut(v, "Signature="); ok {
				add(sig)
			}
		}
	}
	return out
}

// secretQuery are the query parameters of a presigned SigV4 URL that carry credentials.
var secretQuery = []string{"X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token"}

// Redact removes credentials from an interaction before it is saved: the values of
// Authorization (its scheme kept: "AWS4-HMAC-SHA256 REDACTED", "Bearer REDACTED"), session
// tokens, cookies and any header named like a token, secret or key, in the request and the
// response, and the credential parameters of a presigned URL. With MaskAccountIDs it also
// masks the account IDs of ARNs. Frames kept raw are left as they are.
func Redact(i *Interaction, optFns ...func(*RedactOptions)) {
	var o RedactOptions
	for _, fn := range optFns {
		fn(&o)
	}
	RedactSecretsOf(i, i.Request.Headers)
	redactHeader(i.Request.Headers)
	redactHeader(i.Request.Trailer)
	redactHeader(i.Response.Headers)
	redactHeader(i.Response.Trailer)
	if u, err := url.Parse(i.Request.URL); err == nil && u.RawQuery != "" {
		q := u.Query()
		changed := false
		for _, k := range secretQuery {
			if q.Has(k) {
				q.Set(k, Redacted)
				changed = true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
			i.Request.URL = u.String()
		}
	}
	for k := range i.Request.Form {
		if secretHeader(k) {
			i.Request.Form[k] = []string{Redacted}
		}
	}
	if !o.MaskAccountIDs {
		return
	}
	i.Request.URL = maskAccountIDs(i.Request.URL)
	i.Request.RequestURI = maskAccountIDs(i.Request.RequestURI)
	i.Request.Body = maskAccountIDs(i.Request.Body)
	i.Response.Body = maskAccountIDs(i.Response.Body)
	for _, h := range []http.Header{i.Request.Headers, i.Response.Headers} {
		for k, vs := range h {
			for n, v := range vs {
				vs[n] = maskAccountIDs(v)
			}
			h[k] = vs
		}
	}
	for n, f := range i.Response.Frames {
		if f.Raw == "" {
			i.Response.Frames[n].Payload = maskAccountIDs(f.Payload)
		}
	}
}

// RedactedHeader returns a copy of h with the values of its secret headers redacted, as
// Redact redacts a recorded request's (for a log line).
func RedactedHeader(h http.Header) http.Header {
	c := h.Clone()
	redactHeader(c)
	return c
}

// RedactText returns s with the secret values that headers h carry (see RedactSecretsOf)
// replaced by Redacted (for a log line of a request's body).
func RedactText(s string, h http.Header) string {
	for _, secret := range secretValues(h) {
		s = strings.ReplaceAll(s, secret, Redacted)
	}
	return s
}

func redactHeader(h http.Header) {
	for k, vs := range h {
		if !secretHeader(k) {
			continue
		}
		for n, v := range vs {
			scheme, _, found := strings.Cut(v, " ")
			if found && strings.EqualFold(k, "Authorization") && scheme != "" {
				vs[n] = scheme + " " + Redacted
			} else {
				vs[n] = Redacted
			}
		}
	}
}

// ErrSecret is wrapped by the error Scan (and so Save) returns for a cassette that holds a
// secret-shaped string.
var ErrSecret = errors.New("cassette holds a secret")

// secretShapes are the shapes of credentials that must never reach a cassette file.
var secretShapes = []struct {
	what string
	re   *regexp.Regexp
}{
	// AWS access key IDs: long-term (AKIA), temporary (ASIA) and others, 20 characters.
	{"an AWS access key ID", regexp.MustCompile(`\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b`)},
	// A SigV4 signature, in an Authorization header or a presigned URL.
	{"a SigV4 signature", regexp.MustCompile(`(?i)signature=[0-9a-f]{64}`)},
	// STS session tokens start with these base64 prefixes.
	{"an AWS session token", regexp.MustCompile(`\b(?:IQoJb3JpZ2lu|FwoGZXIvYXdzE)[A-Za-z0-9+/=]{20,}`)},
	// Bedrock API keys: long-term ones start with ABSK, short-term ones with bedrock-api-key-.
	{"a Bedrock API key", regexp.MustCompile(`\bABSK[A-Za-z0-9+/=]{20,}|bedrock-api-key-[A-Za-z0-9+/=%_-]{20,}`)},
	// Any other bearer token.
	{"a bearer token", regexp.MustCompile(`(?i)\bbearer\s+[A-Za-z0-9._~+/=-]{16,}`)},
	{"an AWS secret access key", regexp.MustCompile(`(?i)aws_secret_access_key["']?\s*[:=]\s*["']?[A-Za-z0-9+/]{40}`)},
}

// SecretError says where Scan found a secret.
type SecretError struct {
	// Interaction is the interaction's ID, Where the part of it ("request header
	// Authorization", "response frame 3", ...) and What the kind of secret.
	Interaction int
	Where, What string
}

// Error says what kind of secret was found, and where.
func (e *SecretError) Error() string {
	return fmt.Sprintf("%v: %s in interaction %d, %s (redact it first)", ErrSecret, e.What, e.Interaction, e.Where)
}

// Is makes errors.Is(err, ErrSecret) true.
func (e *SecretError) Is(target error) bool { return target == ErrSecret }

// Scan looks through every string of the cassette (URLs, headers, bodies, frames) for
// secret-shaped strings: AWS access key IDs, SigV4 signatures, session tokens, Bedrock API
// keys, bearer tokens, unredacted credential headers. It returns a *SecretError for the
// first it finds, nil when there is none.
func Scan(c *Cassette) error {
	for _, i := range c.Interactions {
		if err := scanInteraction(i); err != nil {
			return err
		}
	}
	return nil
}

func scanInteraction(i *Interaction) error {
	found := func(where, what string) error {
		return &SecretError{Interaction: i.ID, Where: where, What: what}
	}
	check := func(where, s string) error {
		for _, shape := range secretShapes {
			if shape.re.MatchString(s) {
				return found(where, shape.what)
			}
		}
		return nil
	}
	headers := func(side string, h http.Header) error {
		for k, vs := range h {
			for _, v := range vs {
				if secretHeader(k) && v != Redacted && !strings.HasSuffix(v, " "+Redacted) {
					return found(side+" header "+k, "an unredacted credential")
				}
				if err := check(side+" header "+k, k+": "+v); err != nil {
					return err
				}
			}
		}
		return nil
	}
	r := &i.Request
	for _, s := range []struct{ where, v string }{
		{"request URL", r.URL}, {"request URI", r.RequestURI}, {"request body", r.Body}, {"response body", i.Response.Body},
	} {
		if err := check(s.where, s.v); err != nil {
			return err
		}
	}
	for k, vs := range r.Form {
		if err := check("request form "+k, strings.Join(vs, " ")); err != nil {
			return err
		}
	}
	for _, h := range []struct {
		side string
		h    http.Header
	}{{"request", r.Headers}, {"request trailer", r.Trailer}, {"response", i.Response.Headers}, {"response trailer", i.Response.Trailer}} {
		if err := headers(h.side, h.h); err != nil {
			return err
		}
	}
	for n, f := range i.Response.Frames {
		text := f.Payload + f.Raw
		for _, h := range f.Headers {
			text += " " + h.Name + " " + h.Value
		}
		if err := check(fmt.Sprintf("response frame %d", n), text); err != nil {
			return err
		}
	}
	return nil
}
