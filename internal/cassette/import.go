package cassette

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
	"github.com/bedrock-emulator/bedrock-emulator/internal/yamlalias"
)

// ErrUnknownFormat is wrapped by the error Import returns for data in no format it knows.
var ErrUnknownFormat = errors.New("not a recording in a known format")

// ImportOptions describe what a recording does not say itself.
type ImportOptions struct {
	// ModelID is the model of a bare event-stream body, which names none. Required there.
	ModelID string
	// Region goes in the URL made up for a recording without one; "" means us-east-1.
	Region string
}

// WithModelID sets ImportOptions.ModelID.
func WithModelID(id string) func(*ImportOptions) { return func(o *ImportOptions) { o.ModelID = id } }

// WithRegion sets ImportOptions.Region.
func WithRegion(region string) func(*ImportOptions) {
	return func(o *ImportOptions) { o.Region = region }
}

// Import converts a recording made by another tool to a cassette named name. It reads:
//
//   - this package's own cassettes (go-vcr v3 format, version 2);
//   - vcrpy YAML cassettes (Python: pydantic-ai, opentelemetry-python-contrib, dd-trace-py,
//     openllmetry, crewAI, openinference), including pydantic-ai's parsed_body responses;
//   - nock JSON recordings (JavaScript: openinference, opentelemetry-js-contrib), with hex
//     event-stream bodies;
//   - vercel/ai capture files: a JSON object with modelId and a response (status, headers,
//     body or bodyBase64);
//   - Ruby VCR YAML cassettes (http_interactions; crmne/ruby_llm), !binary bodies decoded;
//   - JSON files of one request and its response (DataDog/dd-trace-js's test agent, with
//     "base64:" event-stream bodies; agentjido/req_llm's fixtures, with base64 bodies and
//     stream chunks);
//   - httprr traces (tmc/langchaingo: Go's request and response dumps);
//   - a bare ConverseStream body (event-stream bytes, e.g. prism-php's .sse files), for which
//     ImportOptions.ModelID (WithModelID) names the model.
//
// What the source tool changed is undone where it can be: pretty-printed JSON response
// bodies are compacted, as Bedrock sends them. Recordings without a request, or whose request
// body is not JSON (a recorder's artifact), get a request without a body, which matches any
// body. notes says what was changed or made up. The interactions are not redacted: Redact
// them before saving.
func Import(name string, data []byte, optFns ...func(*ImportOptions)) (c *Cassette, notes []string, err error) {
	var opts ImportOptions
	for _, fn := range optFns {
		fn(&opts)
	}
	c = New(name)
	imp := &importer{c: c, opts: opts}
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		return nil, nil, fmt.Errorf("%w: the file is empty", ErrUnknownFormat)
	case trimmed[0] == '[' && json.Valid(trimmed):
		err = imp.nock(trimmed)
	case trimmed[0] == '{' && json.Valid(trimmed) && hasRequestURL(trimmed):
		err = imp.exchange(trimmed)
	case trimmed[0] == '{' && json.Valid(trimmed):
		err = imp.capture(trimmed)
	case bytes.HasPrefix(data, []byte(httprrHeader)):
		err = imp.httprr(data)
	case isEventStream(data):
		err = imp.bareStream(data)
	default:
		err = imp.yaml(data)
	}
	if err != nil {
		return nil, nil, err
	}
	return c, imp.notes, nil
}

type importer struct {
	c     *Cassette
	opts  ImportOptions
	notes []string
}

func (imp *importer) note(format string, args ...any) {
	imp.notes = append(imp.notes, fmt.Sprintf(format, args...))
}

// add appends an interaction, checking that a Bedrock Runtime request has a JSON body.
func (imp *importer) add(req Request, status int, statusText string, header http.Header, body []byte) {
	i := &Interaction{Request: req}
	if _, _, ok := api.ModelOperation(req.URL); ok && req.Body != "" {
		compact, isJSON := compactJSON([]byte(req.Body))
		switch {
		case !isJSON:
			imp.note("interaction %d: the request body is not JSON (the recorder changed it); dropped, so it matches any body", len(imp.c.Interactions))
			i.Request.Body = ""
		case strings.Contains(req.Body, "\n"):
			imp.note("interaction %d: the request body was pretty-printed by the recorder; compacted", len(imp.c.Interactions))
			i.Request.Body = string(compact)
		}
		i.Request.ContentLength = int64(len(i.Request.Body))
	}
	if i.Request.Method == "" {
		i.Request.Method = http.MethodPost
	}
	if i.Request.Headers == nil {
		i.Request.Headers = http.Header{}
	}
	i.Response.Code = status
	i.Response.Status = statusText
	if statusText == "" {
		i.Response.Status = strings.TrimSpace(strconv.Itoa(status) + " " + http.StatusText(status))
	}
	if op, _, _ := api.ModelOperation(req.URL); op == api.ConverseStream && status == http.StatusOK && !IsEventStream(header) && isEventStream(body) {
		// A ConverseStream answer is only ever sent with this content type (docs/wire-facts.md §3.1).
		imp.note("interaction %d: the recorder dropped the response headers; set Content-Type: application/vnd.amazon.eventstream", len(imp.c.Interactions))
		if header == nil {
			header = http.Header{}
		}
		header.Set("Content-Type", "application/vnd.amazon.eventstream")
	}
	i.Response.Headers = header
	i.Response.ContentLength = -1
	if !IsEventStream(header) {
		if compact, ok := compactJSON(body); ok && !bytes.Equal(compact, body) {
			imp.note("interaction %d: the response body was reformatted by the recorder; compacted", len(imp.c.Interactions))
			body = compact
		}
		i.Response.ContentLength = int64(len(body))
	}
	i.Response.SetBody(body)
	imp.c.Add(i)
}

// madeUpURL is the URL of a request a recording does not show.
func (imp *importer) madeUpURL(region, modelID, op string) string {
	if region == "" {
		region = imp.opts.Region
	}
	if region == "" {
		region = "us-east-1"
	}
	path, _ := api.ModelPath(op, modelID)
	return "https://bedrock-runtime." + region + ".amazonaws.com" + path
}

// yaml reads this package's cassettes and vcrpy's.
func (imp *importer) yaml(data []byte) error {
	// The text is parsed once, into doc, which the formats are then decoded from.
	var doc yaml.Node
	var probe struct {
		Version      int         `yaml:"version"`
		Interactions []yaml.Node `yaml:"interactions"`
		HTTP         []yaml.Node `yaml:"http_interactions"`
	}
	err := unmarshal(data, &doc)
	if errors.Is(err, yamlalias.ErrLoop) || errors.Is(err, yamlalias.ErrExcessive) {
		return fmt.Errorf("%w: %w", ErrFormat, err)
	}
	if err == nil && doc.Decode(&probe) == nil && probe.HTTP != nil {
		return imp.rubyVCR(&doc)
	}
	if err != nil || probe.Interactions == nil {
		return fmt.Errorf("%w: not a cassette (YAML with interactions), nock or capture JSON, nor an event stream", ErrUnknownFormat)
	}
	if probe.Version == Version {
		own, err := parseNode(&doc)
		if err != nil {
			return err
		}
		for _, i := range own.Interactions {
			imp.c.Add(i)
		}
		return nil
	}
	var file struct {
		Interactions []vcrpyInteraction `yaml:"interactions"`
	}
	if err := doc.Decode(&file); err != nil {
		return fmt.Errorf("%w: vcrpy cassette: %v", ErrUnknownFormat, err)
	}
	for n, vi := range file.Interactions {
		if vi.Request.URI == "" {
			return fmt.Errorf("%w: vcrpy cassette: interaction %d has no request uri", ErrUnknownFormat, n)
		}
		body, err := vi.Response.body()
		if err != nil {
			return fmt.Errorf("vcrpy cassette: interaction %d: %w", n, err)
		}
		req := Request{
			Method:  vi.Request.Method,
			URL:     vi.Request.URI,
			Body:    vi.Request.Body,
			Headers: vi.Request.Headers.header(),
		}
		if vi.Request.Body == "" && vi.Request.ParsedBody.Kind != 0 {
			var buf bytes.Buffer
			if err := writeNodeJSON(&buf, &vi.Request.ParsedBody); err != nil {
				return fmt.Errorf("vcrpy cassette: interaction %d: request parsed_body: %w", n, err)
			}
			req.Body = buf.String()
			imp.note("interaction %d: the request body is the recorder's parsed_body written as JSON, not the bytes sent", len(imp.c.Interactions))
		}
		req.ContentLength = int64(len(req.Body))
		imp.add(req, vi.Response.Status.Code, "", vi.Response.Headers.header(), body)
	}
	return nil
}

type vcrpyInteraction struct {
	Request struct {
		Body string `yaml:"body"`
		// ParsedBody is pydantic-ai's: the JSON body as YAML.
		ParsedBody yaml.Node   `yaml:"parsed_body"`
		Headers    vcrpyHeader `yaml:"headers"`
		Method     string      `yaml:"method"`
		URI        string      `yaml:"uri"`
	} `yaml:"request"`
	Response vcrpyResponse `yaml:"response"`
}

type vcrpyResponse struct {
	Body struct {
		String string `yaml:"string"`
	} `yaml:"body"`
	// ParsedBody is pydantic-ai's: the JSON body as YAML.
	ParsedBody yaml.Node   `yaml:"parsed_body"`
	Headers    vcrpyHeader `yaml:"headers"`
	Status     struct {
		Code int `yaml:"code"`
	} `yaml:"status"`
}

func (r vcrpyResponse) body() ([]byte, error) {
	if r.ParsedBody.Kind == 0 {
		return []byte(r.Body.String), nil
	}
	var buf bytes.Buffer
	if err := writeNodeJSON(&buf, &r.ParsedBody); err != nil {
		return nil, fmt.Errorf("parsed_body: %w", err)
	}
	return buf.Bytes(), nil
}

// vcrpyHeader is a vcrpy header map: each name has a list of values, or one value.
type vcrpyHeader map[string]stringList

func (h vcrpyHeader) header() http.Header {
	out := make(http.Header, len(h))
	for k, v := range h {
		out[k] = v
	}
	return out
}

type stringList []string

func (l *stringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		var s string
		if err := n.Decode(&s); err != nil {
			return err
		}
		*l = []string{s}
		return nil
	}
	var ss []string
	if err := n.Decode(&ss); err != nil {
		return err
	}
	*l = ss
	return nil
}

// writeNodeJSON writes a YAML value as compact JSON with raw UTF-8, keeping its member order.
func writeNodeJSON(buf *bytes.Buffer, n *yaml.Node) error {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) != 1 {
			return errors.New("empty document")
		}
		return writeNodeJSON(buf, n.Content[0])
	case yaml.AliasNode:
		return writeNodeJSON(buf, n.Alias)
	case yaml.MappingNode:
		buf.WriteByte('{')
		for i := 0; i+1 < len(n.Content); i += 2 {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeJSONString(buf, n.Content[i].Value)
			buf.WriteByte(':')
			if err := writeNodeJSON(buf, n.Content[i+1]); err != nil {
				return err
			}
		}
		buf.WriteByte('}')
	case yaml.SequenceNode:
		buf.WriteByte('[')
		for i, c := range n.Content {
			if i > 0 {
				buf.WriteByte(',')
			}
			if err := writeNodeJSON(buf, c); err != nil {
				return err
			}
		}
		buf.WriteByte(']')
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			buf.WriteString("null")
		case "!!bool", "!!int", "!!float":
			var v any
			if err := n.Decode(&v); err != nil {
				return err
			}
			b, err := json.Marshal(v)
			if err != nil {
				return err
			}
			buf.Write(b)
		default:
			var s string
			if err := n.Decode(&s); err != nil {
				return err
			}
			writeJSONString(buf, s)
		}
	default:
		return fmt.Errorf("unexpected YAML node kind %d", n.Kind)
	}
	return nil
}

func writeJSONString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	buf.Truncate(buf.Len() - 1) // Encode's newline
}

// compactJSON is body as compact JSON, if it is JSON.
func compactJSON(body []byte) ([]byte, bool) {
	if !json.Valid(body) {
		return nil, false
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, body); err != nil {
		return nil, false
	}
	return buf.Bytes(), true
}

// nock reads a nock recording: a JSON array of interceptors.
func (imp *importer) nock(data []byte) error {
	var entries []struct {
		Scope            string          `json:"scope"`
		Method           string          `json:"method"`
		Path             string          `json:"path"`
		Body             json.RawMessage `json:"body"`
		Status           int             `json:"status"`
		Response         json.RawMessage `json:"response"`
		RawHeaders       []string        `json:"rawHeaders"`
		Headers          map[string]any  `json:"headers"`
		ReqHeaders       map[string]any  `json:"reqheaders"`
		ResponseIsBinary bool            `json:"responseIsBinary"`
	}
	if err := json.Unmarshal(data, &entries); err != nil {
		return fmt.Errorf("%w: nock recording: %v", ErrUnknownFormat, err)
	}
	for n, e := range entries {
		if e.Scope == "" || e.Path == "" {
			return fmt.Errorf("%w: nock recording: entry %d has no scope or path", ErrUnknownFormat, n)
		}
		scope := strings.TrimSuffix(strings.TrimSuffix(e.Scope, ":443"), "/")
		req := Request{Method: strings.ToUpper(e.Method), URL: scope + e.Path, Headers: headerOfMap(e.ReqHeaders)}
		req.Body = jsonText(e.Body)
		req.ContentLength = int64(len(req.Body))
		header := headerOfMap(e.Headers)
		for i := 0; i+1 < len(e.RawHeaders); i += 2 {
			header[e.RawHeaders[i]] = append(header[e.RawHeaders[i]], e.RawHeaders[i+1])
		}
		body := []byte(jsonText(e.Response))
		if e.ResponseIsBinary {
			var err error
			if body, err = hex.DecodeString(string(body)); err != nil {
				return fmt.Errorf("nock recording: entry %d: binary response is not hex: %w", n, err)
			}
		}
		imp.add(req, e.Status, "", header, body)
	}
	return nil
}

// jsonText is the text a nock body stands for: a JSON string is the text itself, anything
// else is JSON text.
func jsonText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	return string(raw)
}

func headerOfMap(m map[string]any) http.Header {
	h := http.Header{}
	for k, v := range m {
		switch v := v.(type) {
		case string:
			h[k] = []string{v}
		case []any:
			for _, e := range v {
				h[k] = append(h[k], fmt.Sprint(e))
			}
		default:
			h[k] = []string{fmt.Sprint(v)}
		}
	}
	return h
}

// hasRequestURL reports whether a JSON object has request.url, as exchange's formats do.
func hasRequestURL(data []byte) bool {
	var probe struct {
		Request struct {
			URL string `json:"url"`
		} `json:"request"`
	}
	return json.Unmarshal(data, &probe) == nil && probe.Request.URL != ""
}

// capture reads a vercel/ai capture file: modelId, and a response with a status and a body
// (JSON or base64), either nested under "response" or at the top level.
func (imp *importer) capture(data []byte) error {
	type response struct {
		Status      int               `json:"status"`
		ContentType string            `json:"contentType"`
		Headers     map[string]string `json:"headers"`
		Body        json.RawMessage   `json:"body"`
		BodyBase64  string            `json:"bodyBase64"`
	}
	var f struct {
		ModelID  string    `json:"modelId"`
		Region   string    `json:"region"`
		Response *response `json:"response"`
		response
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("%w: %v", ErrUnknownFormat, err)
	}
	r := f.Response
	if r == nil {
		r = &f.response
	}
	if f.ModelID == "" || r.Status == 0 {
		return fmt.Errorf("%w: a JSON object without modelId and a response status (a bare response body?)", ErrUnknownFormat)
	}
	header := http.Header{}
	for k, v := range r.Headers {
		header.Set(k, v)
	}
	if r.ContentType != "" {
		header.Set("Content-Type", r.ContentType)
	}
	body := []byte(jsonText(r.Body))
	if r.BodyBase64 != "" {
		var err error
		if body, err = base64.StdEncoding.DecodeString(r.BodyBase64); err != nil {
			return fmt.Errorf("capture: bodyBase64: %w", err)
		}
	}
	op := api.Converse
	if IsEventStream(header) || isEventStream(body) {
		op = api.ConverseStream
		header.Set("Content-Type", "application/vnd.amazon.eventstream")
	}
	imp.note("interaction 0: the capture has no request; made up %s %s with no body (matches any body)", op, f.ModelID)
	imp.add(Request{URL: imp.madeUpURL(f.Region, f.ModelID, op)}, r.Status, "", header, body)
	return nil
}

// bareStream reads a ConverseStream response body on its own.
func (imp *importer) bareStream(data []byte) error {
	if imp.opts.ModelID == "" {
		return errors.New("a bare event stream names no model: give the model ID (--model)")
	}
	// A stream body is only ever sent with this content type (docs/wire-facts.md §3.1).
	header := http.Header{"Content-Type": {"application/vnd.amazon.eventstream"}}
	imp.note("interaction 0: a bare response body; made up ConverseStream %s with no body (matches any body), status 200 and its content type", imp.opts.ModelID)
	imp.add(Request{URL: imp.madeUpURL("", imp.opts.ModelID, api.ConverseStream)}, http.StatusOK, "", header, data)
	return nil
}

// isEventStream reports whether data starts with a whole event-stream message.
func isEventStream(data []byte) bool {
	frames := DecodeStream(data)
	return len(frames) > 0 && frames[0].Raw == ""
}
