package recorder

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
)

// Proxy is an http.Handler that forwards Bedrock Runtime requests to real Bedrock and
// records every exchange to a cassette. Any SDK points at it as it would at the emulator.
// Each request is signed anew with SigV4 (the SDK signed it for the proxy's host, so its
// signature cannot be forwarded) or forwarded with its Bearer API key; responses stream
// through to the caller as they arrive, event streams frame by frame. Save writes the
// cassette; call it periodically and at the end, as `bedrock-emulator record` does.
type Proxy struct {
	opts     Options
	upstream *url.URL
	region   string
	tr       http.RoundTripper
	tape     *tape
	log      *slog.Logger
}

// regionInHost finds the region of a Bedrock Runtime endpoint's host name.
var regionInHost = regexp.MustCompile(`^bedrock-runtime(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com`)

// NewProxy returns a Proxy recording to the cassette file at path; of the options it reads
// Upstream, Region, Credentials, Transport, Append, MaskAccountIDs, Hooks and Logger. With
// Append, the cassette is loaded (if it exists) and kept. The file is not touched before
// the first interaction has been recorded and saved.
func NewProxy(path string, optFns ...func(*Options)) (*Proxy, error) {
	opts := buildOptions(optFns)
	region := opts.Region
	upstream := opts.Upstream
	if upstream == "" {
		if region == "" {
			region = "us-east-1"
		}
		upstream = "https://bedrock-runtime." + region + ".amazonaws.com"
	}
	u, err := url.Parse(strings.TrimSuffix(upstream, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("upstream %q is not an http(s) URL", upstream)
	}
	if region == "" {
		if m := regionInHost.FindStringSubmatch(u.Hostname()); m != nil {
			region = m[1]
		} else {
			region = "us-east-1"
		}
	}
	c := cassette.New(path)
	if opts.Append {
		loaded, err := cassette.Load(path)
		switch {
		case err == nil:
			c = loaded
		case !errors.Is(err, os.ErrNotExist):
			return nil, err
		}
	}
	tr := opts.Transport
	if tr == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.DisableCompression = true
		tr = t
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	// A secret redacted from one interaction is logged; the recording goes on and is saved.
	warn := func(err error) { log.Warn("redacted a secret", "err", err) }
	return &Proxy{
		opts: opts, upstream: u, region: region, tr: tr, log: log,
		tape: newTape(path, c, opts.Hooks, opts.MaskAccountIDs, warn),
	}, nil
}

// Upstream returns the URL requests are forwarded to.
func (p *Proxy) Upstream() string { return p.upstream.String() }

// Len returns the number of interactions recorded, finished or not.
func (p *Proxy) Len() int { return p.tape.len() }

// Save writes the finished interactions to the cassette, atomically, if anything was
// recorded since the last save. Interactions still streaming are left for a later save.
func (p *Proxy) Save() error {
	return errors.Join(p.tape.err(), p.tape.save(false))
}

// hopHeaders are not forwarded either way (RFC 9110 §7.6.1), and neither are the request
// headers that the proxy sets itself or signs anew.
var hopHeaders = []string{"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
	"Te", "Trailer", "Transfer-Encoding", "Upgrade"}

var resignedHeaders = []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256", "Content-Length",
	"Accept-Encoding"} // Accept-Encoding: bodies are recorded as they are sent, not compressed

// ServeHTTP forwards r upstream, streams the answer back and records both.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == api.AdminPrefix+"/health" {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"ok"}`))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, api.MaxBodyBytes))
	if err != nil {
		p.fail(w, http.StatusBadRequest, "ValidationException", "reading the request body: "+err.Error())
		return
	}
	out, err := p.outgoing(r, body)
	if err != nil {
		p.fail(w, http.StatusInternalServerError, "InternalServerException", err.Error())
		return
	}
	start := time.Now()
	resp, err := p.tr.RoundTrip(out)
	if err != nil {
		p.fail(w, http.StatusBadGateway, "ServiceUnavailableException", "forwarding to "+p.upstream.String()+": "+err.Error())
		return
	}
	defer resp.Body.Close()
	i := captured(r, out.URL.String(), body, resp, time.Since(start))
	p.tape.begin(i)

	h := w.Header()
	for k, v := range resp.Header {
		h[k] = v
	}
	for _, k := range hopHeaders {
		h.Del(k)
	}
	w.WriteHeader(resp.StatusCode)

	// The body is recorded as it passes: an event stream cut into frames, anything else whole.
	var whole bytes.Buffer
	var cut *cassette.Cutter
	var tee io.Writer = &whole
	if cassette.IsEventStream(resp.Header) {
		cut = cassette.NewCutter(time.Now())
		tee = cut
	}
	readErr := relay(w, io.TeeReader(resp.Body, tee))
	if cut != nil {
		i.Response.Frames = cut.Frames()
		if i.Response.Frames == nil {
			i.Response.Frames = []cassette.Frame{}
		}
	} else {
		i.Response.Body = whole.String()
	}
	cassette.RedactSecretsOf(i, out.Header)
	if err := p.tape.finish(i); err != nil {
		p.log.Error("recording", "err", err)
	}
	attrs := []any{"method", r.Method, "path", r.URL.EscapedPath(), "status", resp.StatusCode, "duration", time.Since(start)}
	if cut != nil {
		attrs = append(attrs, "frames", len(i.Response.Frames))
	}
	if readErr != nil {
		attrs = append(attrs, "interrupted", readErr)
	}
	p.log.Info("recorded", attrs...)
}

// relay copies body to w as it arrives, flushing each piece. It returns why it stopped
// early: the upstream failed, or the caller went away (what came so far is recorded).
func relay(w http.ResponseWriter, body io.Reader) error {
	rc := http.NewResponseController(w)
	buf := make([]byte, 32<<10)
	for {
		n, err := body.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return werr
			}
			rc.Flush()
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// outgoing builds the request to send upstream: same method, path and body, the caller's
// headers less the hop-by-hop ones, and new credentials.
func (p *Proxy) outgoing(r *http.Request, body []byte) (*http.Request, error) {
	u, err := url.Parse(p.upstream.String() + r.URL.EscapedPath())
	if err != nil {
		return nil, err
	}
	u.RawQuery = r.URL.RawQuery
	out, err := http.NewRequestWithContext(r.Context(), r.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	out.Header = r.Header.Clone()
	for _, k := range append(hopHeaders, resignedHeaders...) {
		out.Header.Del(k)
	}
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "Bearer ") {
		out.Header.Set("Authorization", auth) // an API key is valid for any host
		return out, nil
	}
	if p.opts.Credentials == nil {
		return nil, errors.New("no AWS credentials to sign the request with (and it carries no Bearer API key)")
	}
	creds, err := p.opts.Credentials.Retrieve(r.Context())
	if err != nil {
		return nil, fmt.Errorf("retrieving AWS credentials: %w", err)
	}
	sum := sha256.Sum256(body)
	if err := v4.NewSigner().SignHTTP(r.Context(), creds, out, hex.EncodeToString(sum[:]), "bedrock", p.region, time.Now()); err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	return out, nil
}

// fail answers a request the proxy could not forward, in Bedrock's error shape, and logs it.
func (p *Proxy) fail(w http.ResponseWriter, status int, typ, msg string) {
	msg = "bedrock-emulator record: " + msg
	p.log.Error("not forwarded", "err", msg)
	body, _ := json.Marshal(struct {
		Message string `json:"message"`
	}{msg})
	w.Header().Set("Content-Type", "application/json")
	w.Header()["x-amzn-ErrorType"] = []string{typ + ":http://internal.amazon.com/coral/com.amazon.bedrock/"}
	w.WriteHeader(status)
	w.Write(body)
}

// AutoSave saves every interval until ctx ends, logging failures. Call Save once more after
// it returns.
func (p *Proxy) AutoSave(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := p.Save(); err != nil {
				p.log.Error("saving the cassette", "err", err)
			}
		}
	}
}
