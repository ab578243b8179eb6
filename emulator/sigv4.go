package emulator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// sigV4 is a parsed "AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…" header.
type sigV4 struct {
	accessKeyID   string
	region        string
	service       string
	signedHeaders []string
	signature     string
}

// parseSigV4 parses a SigV4 Authorization header; a header that lacks a part, or whose
// credential is not "KEY/DATE/REGION/SERVICE/aws4_request", is an incomplete signature.
func parseSigV4(auth string) (sigV4, *Error) {
	var s sigV4
	var credential, signed string
	for _, part := range strings.Split(strings.TrimPrefix(auth, "AWS4-HMAC-SHA256 "), ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Credential":
			credential = v
		case "SignedHeaders":
			signed = v
		case "Signature":
			s.signature = v
		}
	}
	var missing []string
	scope := strings.Split(credential, "/")
	if len(scope) != 5 || scope[0] == "" || scope[4] != "aws4_request" {
		missing = append(missing, "Credential")
	}
	if s.signature == "" {
		missing = append(missing, "Signature")
	}
	if signed == "" {
		missing = append(missing, "SignedHeaders")
	}
	if len(missing) > 0 {
		return s, incompleteSignature(missing)
	}
	s.accessKeyID, s.region, s.service = scope[0], scope[2], scope[3]
	s.signedHeaders = strings.Split(signed, ";")
	return s, nil
}

var signer = v4.NewSigner()

// signature computes the signature r should carry, with the AWS SDK's signer: a copy of r
// holding only the headers the client signed is signed again with cred, at the client's
// time and in its region.
func signature(r *http.Request, sig sigV4, body []byte, cred aws.Credentials, date time.Time) (string, error) {
	u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery}
	req := &http.Request{Method: r.Method, URL: &u, Host: r.Host, Header: http.Header{}}
	for _, name := range sig.signedHeaders {
		switch name {
		case "host":
		case "content-length":
			req.ContentLength = r.ContentLength
		default:
			if vs := r.Header.Values(name); vs != nil {
				req.Header[http.CanonicalHeaderKey(name)] = vs
			}
		}
	}
	cred.SessionToken = ""
	if slices.Contains(sig.signedHeaders, "x-amz-security-token") {
		cred.SessionToken = r.Header.Get("X-Amz-Security-Token")
	}
	hash := sha256.Sum256(body)
	if err := signer.SignHTTP(context.Background(), cred, req, hex.EncodeToString(hash[:]), sig.service, sig.region, date); err != nil {
		return "", err
	}
	_, got, _ := strings.Cut(req.Header.Get("Authorization"), "Signature=")
	return got, nil
}
