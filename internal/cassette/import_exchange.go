package cassette

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// exchange reads a JSON file holding one request and its response, as two recorders write
// them (internal/cassette/testdata/real-traffic/SOURCES.md, "Added 2026-12-06"):
//
//   - DataDog/dd-trace-js's test agent VCR proxy: request {method, url, headers, body},
//     response {status {code, message}, headers, body}, a body being its text, or
//     "base64:" and the bytes of an event stream;
//   - agentjido/req_llm's fixtures: request {method, url, headers, body {b64}}, response
//     {status, headers, body}, the response body parsed JSON, and a stream's bytes in the
//     top-level chunks [{b64}].
func (imp *importer) exchange(data []byte) error {
	var f struct {
		Request struct {
			Method  string          `json:"method"`
			URL     string          `json:"url"`
			Headers map[string]any  `json:"headers"`
			Body    json.RawMessage `json:"body"`
		} `json:"request"`
		Response struct {
			Status  json.RawMessage `json:"status"`
			Headers map[string]any  `json:"headers"`
			Body    json.RawMessage `json:"body"`
		} `json:"response"`
		Chunks []struct {
			B64 string `json:"b64"`
		} `json:"chunks"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("%w: %v", ErrUnknownFormat, err)
	}
	var status struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	if len(f.Response.Status) > 0 && json.Unmarshal(f.Response.Status, &status.Code) != nil {
		if err := json.Unmarshal(f.Response.Status, &status); err != nil {
			return fmt.Errorf("%w: response status: %v", ErrUnknownFormat, err)
		}
	}
	if status.Code == 0 {
		return fmt.Errorf("%w: a request and response without a status", ErrUnknownFormat)
	}
	reqBody, err := exchangeBody(f.Request.Body)
	if err != nil {
		return fmt.Errorf("request body: %w", err)
	}
	body, err := exchangeBody(f.Response.Body)
	if err != nil {
		return fmt.Errorf("response body: %w", err)
	}
	for n, c := range f.Chunks {
		b, err := base64.StdEncoding.DecodeString(c.B64)
		if err != nil {
			return fmt.Errorf("chunk %d: %w", n, err)
		}
		body = append(body, b...)
	}
	req := Request{Method: strings.ToUpper(f.Request.Method), URL: f.Request.URL, Headers: headerOfMap(f.Request.Headers), Body: string(reqBody)}
	req.ContentLength = int64(len(req.Body))
	message := ""
	if status.Message != "" {
		message = strconv.Itoa(status.Code) + " " + status.Message
	}
	imp.add(req, status.Code, message, headerOfMap(f.Response.Headers), body)
	return nil
}

// exchangeBody is the bytes a body of exchange's formats stands for: a string is the text
// itself, or base64 after "base64:"; {"b64": …} is base64; any other JSON value is the body
// the recorder parsed, as JSON text.
func exchangeBody(raw json.RawMessage) ([]byte, error) {
	var b64 struct {
		B64 *string `json:"b64"`
	}
	if json.Unmarshal(raw, &b64) == nil && b64.B64 != nil {
		return base64.StdEncoding.DecodeString(*b64.B64)
	}
	text := jsonText(raw)
	if rest, ok := strings.CutPrefix(text, "base64:"); ok {
		return base64.StdEncoding.DecodeString(rest)
	}
	return []byte(text), nil
}

// httprrHeader starts a trace of tmc/langchaingo's httprr (Go's rsc.io/httprr format): each
// record is "len(request) len(response)\n" and the two as net/http dumps them.
const httprrHeader = "httprr trace v1\n"

// httprr reads an httprr trace.
func (imp *importer) httprr(data []byte) error {
	rest := data[len(httprrHeader):]
	for n := 0; len(rest) > 0; n++ {
		line, after, ok := bytes.Cut(rest, []byte("\n"))
		var reqLen, respLen int
		if _, err := fmt.Sscanf(string(line), "%d %d", &reqLen, &respLen); !ok || err != nil || reqLen < 0 || respLen < 0 || reqLen > len(after) || respLen > len(after)-reqLen {
			return fmt.Errorf("%w: httprr trace: record %d: bad length line %q", ErrUnknownFormat, n, line)
		}
		hreq, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(after[:reqLen])))
		if err != nil {
			return fmt.Errorf("httprr trace: record %d: request: %w", n, err)
		}
		reqBody, err := io.ReadAll(hreq.Body)
		if err != nil {
			return fmt.Errorf("httprr trace: record %d: request body: %w", n, err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(after[reqLen:reqLen+respLen])), hreq)
		if err != nil {
			return fmt.Errorf("httprr trace: record %d: response: %w", n, err)
		}
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			return fmt.Errorf("httprr trace: record %d: response body: %w", n, err)
		}
		rest = after[reqLen+respLen:]
		req := Request{Method: hreq.Method, URL: hreq.RequestURI, Headers: hreq.Header, Body: string(reqBody)}
		req.ContentLength = int64(len(req.Body))
		imp.add(req, resp.StatusCode, resp.Status, resp.Header, body)
	}
	return nil
}

// rubyVCR reads a Ruby VCR cassette (http_interactions; crmne/ruby_llm's, VCR 6.4). Its
// filter_sensitive_data placeholders stay, but for <AWS_REGION> in the URI, which is made
// the import's region so that the URL parses.
func (imp *importer) rubyVCR(doc *yaml.Node) error {
	var file struct {
		Interactions []struct {
			Request struct {
				Method  string      `yaml:"method"`
				URI     string      `yaml:"uri"`
				Body    rubyBody    `yaml:"body"`
				Headers vcrpyHeader `yaml:"headers"`
			} `yaml:"request"`
			Response struct {
				Status struct {
					Code    int    `yaml:"code"`
					Message string `yaml:"message"`
				} `yaml:"status"`
				Headers vcrpyHeader `yaml:"headers"`
				Body    rubyBody    `yaml:"body"`
			} `yaml:"response"`
		} `yaml:"http_interactions"`
	}
	if err := doc.Decode(&file); err != nil {
		return fmt.Errorf("%w: Ruby VCR cassette: %v", ErrUnknownFormat, err)
	}
	for n, ri := range file.Interactions {
		if ri.Request.URI == "" {
			return fmt.Errorf("%w: Ruby VCR cassette: interaction %d has no request uri", ErrUnknownFormat, n)
		}
		uri := ri.Request.URI
		if strings.Contains(uri, "<AWS_REGION>") {
			region := imp.opts.Region
			if region == "" {
				region = "us-east-1"
			}
			uri = strings.ReplaceAll(uri, "<AWS_REGION>", region)
			imp.note("interaction %d: the recorder's <AWS_REGION> placeholder in the URI made %s", len(imp.c.Interactions), region)
		}
		req := Request{Method: strings.ToUpper(ri.Request.Method), URL: uri, Headers: ri.Request.Headers.header(), Body: string(ri.Request.Body)}
		req.ContentLength = int64(len(req.Body))
		message := ""
		if ri.Response.Status.Message != "" {
			message = strconv.Itoa(ri.Response.Status.Code) + " " + ri.Response.Status.Message
		}
		imp.add(req, ri.Response.Status.Code, message, ri.Response.Headers.header(), ri.Response.Body)
	}
	return nil
}

// rubyBody is a Ruby VCR body: {encoding, string}, the string tagged !binary (base64) when
// the bytes are not text.
type rubyBody []byte

func (b *rubyBody) UnmarshalYAML(n *yaml.Node) error {
	var body struct {
		String yaml.Node `yaml:"string"`
	}
	if err := n.Decode(&body); err != nil {
		return err
	}
	if body.String.Kind == 0 {
		*b = nil
		return nil
	}
	if body.String.Tag == "!binary" || body.String.Tag == "!!binary" {
		raw, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(body.String.Value), ""))
		if err != nil {
			return fmt.Errorf("!binary body: %w", err)
		}
		*b = raw
		return nil
	}
	var s string
	if err := body.String.Decode(&s); err != nil {
		return err
	}
	*b = []byte(s)
	return nil
}
