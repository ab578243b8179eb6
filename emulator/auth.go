package emulator

import (
	"net/http"
	"strings"
)

// AuthMode says which requests the emulator accepts.
type AuthMode int

const (
	// AuthAny accepts any request that carries a SigV4 signature (signing name "bedrock") or
	// a Bearer API key, without verifying it, and rejects one with neither, as Bedrock does.
	AuthAny AuthMode = iota
	// AuthNone accepts every request, signed or not.
	AuthNone
)

// errMissingAuth is Bedrock's answer to a request with no Authorization header: 403, an
// AccessDeniedException in the coral.service namespace, and a body whose key is "Message",
// capitalised, as Bedrock's authorizer writes it (wire capture in
// https://github.com/karthink/gptel/issues/1397, 2026-05; /work/research/wire-errors.md Q1).
var errMissingAuth = &Error{
	Type:       "AccessDeniedException",
	Status:     http.StatusForbidden,
	Message:    "Authorization header is missing",
	Namespace:  "com.amazon.coral.service",
	authorizer: true,
}

// authenticate checks that r carries credentials of a kind Bedrock accepts.
func authenticate(mode AuthMode, r *http.Request) *Error {
	if mode == AuthNone {
		return nil
	}
	auth := r.Header.Get("Authorization")
	switch {
	case strings.HasPrefix(auth, "AWS4-HMAC-SHA256 "), strings.HasPrefix(auth, "Bearer "):
		return nil
	case r.URL.Query().Get("X-Amz-Signature") != "":
		return nil
	}
	return errMissingAuth
}
