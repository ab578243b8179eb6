// Package redact finds and redacts credentials in HTTP headers and in text that repeats
// them: what a cassette (internal/cassette) or a log line (the emulator's debug level)
// must never hold.
package redact

import (
	"net/http"
	"strings"
)

// Redacted replaces a secret's value.
const Redacted = "REDACTED"

// SecretHeader reports whether a header carries a credential: SigV4's Authorization and
// session token, Bearer API keys, cookies, and anything named like a token, secret or key.
func SecretHeader(name string) bool {
	// Folded comparisons, not strings.ToLower: this runs for every header of every request
	// the emulator journals.
	for _, n := range []string{"authorization", "proxy-authorization", "x-amz-security-token", "cookie", "set-cookie", "x-api-key"} {
		if strings.EqualFold(name, n) {
			return true
		}
	}
	// A name ending in "token", not one that merely contains it (X-Amzn-Bedrock-Input-Token-Count).
	return len(name) >= len("token") && strings.EqualFold(name[len(name)-len("token"):], "token") ||
		containsFold(name, "secret") || containsFold(name, "password") || containsFold(name, "api-key") || containsFold(name, "apikey")
}

// containsFold reports whether s contains sub (ASCII), in any case.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// SecretValues are the secret values a request's headers carry: every secret header's value,
// the token of a Bearer or other scheme, and a SigV4 signature. Values shorter than eight
// characters are left out, so that redacting them cannot mangle unrelated text.
func SecretValues(h http.Header) []string {
	var out []string
	add := func(v string) {
		if v = strings.TrimSpace(v); len(v) >= 8 {
			out = append(out, v)
		}
	}
	for k, vs := range h {
		if !SecretHeader(k) {
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

// Header redacts the values of h's secret headers in place: Authorization keeps its scheme
// ("AWS4-HMAC-SHA256 REDACTED", "Bearer REDACTED"), the others become Redacted.
func Header(h http.Header) {
	for k, vs := range h {
		if !SecretHeader(k) {
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

// Text returns s with the secret values that headers h carry (SecretValues) replaced by
// Redacted.
func Text(s string, h http.Header) string {
	for _, secret := range SecretValues(h) {
		s = strings.ReplaceAll(s, secret, Redacted)
	}
	return s
}
