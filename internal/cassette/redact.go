package cassette

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/bedrock-emulator/bedrock-emulator/internal/redact"
)

// Redacted replaces a secret's value.
const Redacted = redact.Redacted

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

// RedactSecretsOf takes the secret values that headers h carry (session tokens, API keys,
// SigV4 signatures) out of i's bodies, response headers and stream frames, wherever they
// are repeated: Bedrock's long InvalidSignature answer quotes the canonical request, session
// token and all, and an upstream may echo one in a frame. A proxy passes the headers it
// signed the forwarded request with, which the recorded request does not hold. A frame stays
// a valid message (see RedactShapes).
func RedactSecretsOf(i *Interaction, h http.Header) {
	secrets := redact.SecretValues(h)
	if len(secrets) == 0 {
		return
	}
	for _, t := range texts(i) {
		if t.header != "" && strings.HasPrefix(t.where, "request") {
			continue // Redact redacts the request's own credential headers, keeping the scheme
		}
		for _, secret := range secrets {
			mask := Redacted
			if t.raw {
				mask = strings.Repeat("X", len(secret))
			}
			*t.s = strings.ReplaceAll(*t.s, secret, mask)
		}
	}
}

// secretQuery are the query parameters of a presigned SigV4 URL that carry credentials.
var secretQuery = []string{"X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token"}

// Redact removes credentials from an interaction before it is saved: the values of
// Authorization (its scheme kept: "AWS4-HMAC-SHA256 REDACTED", "Bearer REDACTED"), session
// tokens, cookies and any header named like a token, secret or key, in the request and the
// response, and the credential parameters of a presigned URL. With MaskAccountIDs it also
// masks the account IDs of ARNs (not in frames kept raw).
func Redact(i *Interaction, optFns ...func(*RedactOptions)) {
	var o RedactOptions
	for _, fn := range optFns {
		fn(&o)
	}
	RedactSecretsOf(i, i.Request.Headers)
	redact.Header(i.Request.Headers)
	redact.Header(i.Request.Trailer)
	redact.Header(i.Response.Headers)
	redact.Header(i.Response.Trailer)
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
		if redact.SecretHeader(k) {
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

// SecretError says where Scan found a secret, or where RedactShapes redacted one. It never
// holds the secret.
type SecretError struct {
	// Interaction is the interaction's ID, Where the part of it ("request header
	// Authorization", "response frame 3", ...) and What the kind of secret.
	Interaction int
	Where, What string
	// Request is the interaction's method and URL path, as RedactShapes found them.
	Request string
	// Redacted is set by RedactShapes: the secret was replaced, and the interaction kept.
	Redacted bool
}

// Error says what kind of secret was found, and where.
func (e *SecretError) Error() string {
	if e.Redacted {
		return fmt.Sprintf("interaction %d (%s): %s in the %s, redacted; the rest of the interaction is kept", e.Interaction, e.Request, e.What, e.Where)
	}
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
	for _, t := range texts(i) {
		if t.unredacted() {
			return &SecretError{Interaction: i.ID, Where: t.where, What: "an unredacted credential"}
		}
		s := *t.s
		if t.header != "" {
			s = t.header + ": " + s
		}
		for _, shape := range secretShapes {
			if shape.re.MatchString(s) {
				return &SecretError{Interaction: i.ID, Where: t.where, What: shape.what}
			}
		}
	}
	return nil
}

// RedactShapes replaces every secret-shaped string that Scan looks for in i (an access key
// ID quoted in a prompt, a Bearer API key in a header not named as a credential, a session
// token echoed in a stream frame) with Redacted, and the value of every credential header
// Redact has not redacted. It returns what it redacted, one *SecretError (Redacted set) per
// place and kind, naming the interaction but never the secret; after it, Scan finds nothing
// in i. Stream frames keep their headers and payload as text, which Frame.Encode turns back
// into a message with the AWS SDK's encoder, so a redacted frame is still a valid one; a raw
// frame (bytes cut mid-message) has each secret overwritten by as many "X", its length kept.
func RedactShapes(i *Interaction) []*SecretError {
	var out []*SecretError
	note := func(where, what string) {
		for _, e := range out {
			if e.Where == where && e.What == what {
				return
			}
		}
		out = append(out, &SecretError{Interaction: i.ID, Where: where, What: what, Redacted: true})
	}
	for _, t := range texts(i) {
		if t.unredacted() {
			*t.s = Redacted
			note(t.where, "an unredacted credential")
			continue
		}
		for _, shape := range secretShapes {
			if !shape.re.MatchString(*t.s) {
				continue
			}
			*t.s = shape.re.ReplaceAllStringFunc(*t.s, func(m string) string {
				if t.raw {
					return strings.Repeat("X", len(m))
				}
				return Redacted
			})
			note(t.where, shape.what)
		}
	}
	request := i.Request.Method
	if u, err := url.Parse(i.Request.URL); err == nil {
		request += " " + u.EscapedPath()
	}
	for _, e := range out {
		e.Request = request
	}
	return out
}

// text is one string of an interaction, as Scan reads it and RedactShapes rewrites it.
type text struct {
	where  string  // "request body", "response header X-Y", "response frame 3", …
	header string  // the name of an HTTP header whose value s is
	raw    bool    // s is a raw frame's bytes
	s      *string // the string itself
}

// unredacted reports whether t is the value of a credential header that Redact has not
// redacted.
func (t text) unredacted() bool {
	return t.header != "" && redact.SecretHeader(t.header) && *t.s != Redacted && !strings.HasSuffix(*t.s, " "+Redacted)
}

// texts are the strings of i that can hold a secret: its URLs, bodies, form values, header
// and trailer values, and its frames' payloads, raw bytes and string header values.
func texts(i *Interaction) []text {
	r := &i.Request
	out := []text{{where: "request URL", s: &r.URL}, {where: "request URI", s: &r.RequestURI},
		{where: "request body", s: &r.Body}, {where: "response body", s: &i.Response.Body}}
	for k, vs := range r.Form {
		for n := range vs {
			out = append(out, text{where: "request form " + k, s: &vs[n]})
		}
	}
	for _, h := range []struct {
		side string
		h    http.Header
	}{{"request", r.Headers}, {"request trailer", r.Trailer}, {"response", i.Response.Headers}, {"response trailer", i.Response.Trailer}} {
		for k, vs := range h.h {
			for n := range vs {
				out = append(out, text{where: h.side + " header " + k, header: k, s: &vs[n]})
			}
		}
	}
	for n := range i.Response.Frames {
		f := &i.Response.Frames[n]
		where := fmt.Sprintf("response frame %d", n)
		out = append(out, text{where: where, s: &f.Payload}, text{where: where, raw: true, s: &f.Raw})
		for k := range f.Headers {
			if t := f.Headers[k].Type; t == "" || t == "string" {
				out = append(out, text{where: where, s: &f.Headers[k].Value})
			}
		}
	}
	return out
}
