package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
	"github.com/bedrock-emulator/bedrock-emulator/internal/jsondiff"
	"github.com/bedrock-emulator/bedrock-emulator/internal/spec"
)

// The invariants every answer is held to. Each holds for any correct Bedrock answer; the
// sources are docs/wire-facts.md (§ numbers below), checked there against real recordings.

// checker collects the broken invariants of one answer.
type checker struct {
	problems []string
	// unrecorded are the response headers not to check (Target.Unrecorded), canonical.
	unrecorded map[string]bool
}

func newChecker(t *Target) *checker {
	c := &checker{unrecorded: map[string]bool{}}
	if t != nil {
		for _, h := range t.Unrecorded {
			c.unrecorded[http.CanonicalHeaderKey(h)] = true
		}
	}
	return c
}

func (c *checker) addf(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

// checkAnswer returns what is wrong with answer a to step s on target t. prior holds the
// answers of the case's earlier steps.
func checkAnswer(t *Target, s *Step, a *Answer, prior []*Answer) []string {
	c := newChecker(t)
	switch x := s.Expect; {
	case x.Raw != nil:
		c.raw(a, x.Raw)
	case x.Error != nil:
		c.modeledError(a, x.Error)
	case a.Err != nil:
		c.addf("want a successful answer, got %s", a.summary())
	case s.Call != nil:
		c.operation(s, a)
	default:
		c.success(s, a)
		if x.SameAs > 0 && t.Deterministic {
			c.same(prior[x.SameAs-1], a, x.SameAs)
		}
	}
	if s.Expect.Check != nil && len(c.problems) == 0 {
		if err := s.Expect.Check(a); err != nil {
			c.addf("%v", err)
		}
	}
	return c.problems
}

func (c *checker) raw(a *Answer, want *WantRaw) {
	if a.Status != want.Status {
		c.addf("HTTP status %d, want %d", a.Status, want.Status)
	}
	if string(a.Body) != want.Body {
		c.addf("body %s, want %s", a.Body, want.Body)
	}
}

// modeledError checks an error answer: SDK error type and exact message, HTTP status,
// x-amzn-ErrorType, and a {"message":…} body (docs/wire-facts.md §2.3, §2.4, §3.1).
func (c *checker) modeledError(a *Answer, want *WantError) {
	if a.Err == nil {
		c.addf("want %s %q, got a successful answer (HTTP %d, stopReason %s)", want.Type, want.Message, a.Status, a.StopReason)
		return
	}
	status := want.Status
	if status == 0 {
		status = statusOf(want.Type)
	}
	if a.Status == http.StatusOK {
		c.addf("want %s (HTTP %d) before any event, got %s in the event stream", want.Type, status, a.summary())
		return
	}
	ns := want.Namespace
	if ns == "" {
		ns = "com.amazon.bedrock"
	}
	wantType := want.Type + ":http://internal.amazon.com/coral/" + ns + "/"
	code, msg := a.ErrorCode()
	if c.unrecorded["X-Amzn-Errortype"] {
		// The SDK reads the type from the header the recording lost; the body is checked
		// below, the message here.
		code = want.Type
	} else {
		switch got := a.Header.Values("X-Amzn-ErrorType"); {
		case len(got) == 0:
			c.addf("no x-amzn-ErrorType header (want %q)", wantType)
		case len(got) > 1 || got[0] != wantType:
			c.addf("x-amzn-ErrorType %q, want %q", got, wantType)
		}
	}
	if code != want.Type {
		c.addf("want %s, got %s", want.Type, a.summary())
	} else if msg != want.Message {
		c.addf("message %q, want %q", msg, want.Message)
	}
	if a.Status != status {
		c.addf("HTTP status %d, want %d for %s", a.Status, status, want.Type)
	}
	c.requestID(a.Header)
	if ct := a.Header.Get("Content-Type"); ct != "application/json" {
		c.addf("error Content-Type %q, want application/json", ct)
	}
	key := want.BodyKey
	if key == "" {
		key = "message"
	}
	if wantBody := errorBody(key, want.Message); !bytes.Equal(a.Body, wantBody) {
		c.addf("error body %s, want %s", a.Body, wantBody)
	}
}

// statusOf is the HTTP status the API model gives an exception type.
func statusOf(typ string) int {
	if status, ok := spec.Model().ErrorStatus(typ); ok {
		return status
	}
	return http.StatusBadRequest
}

// errorBody is Bedrock's error body: compact, raw UTF-8, one member.
func errorBody(key, message string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(map[string]string{key: message})
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// requestID checks x-amzn-RequestId: one lowercase UUID (docs/wire-facts.md §2.2).
func (c *checker) requestID(h http.Header) {
	if c.unrecorded["X-Amzn-Requestid"] {
		return
	}
	if id := h.Values("X-Amzn-RequestId"); len(id) != 1 || !uuidPattern.MatchString(id[0]) {
		c.addf("x-amzn-RequestId %q, want one lowercase UUID", id)
	}
}

// success checks a successful answer: the wire form, the message, usage, tool calls, and
// the step's expectations.
func (c *checker) success(s *Step, a *Answer) {
	if a.Status != http.StatusOK {
		c.addf("HTTP status %d, want 200", a.Status)
	}
	c.requestID(a.Header)
	if a.Operation == api.ConverseStream {
		c.streamWire(a)
		c.grammar(a.Events)
	} else {
		c.converseWire(a)
	}
	if a.Message.Role != types.ConversationRoleAssistant {
		c.addf("message role %q, want assistant", a.Message.Role)
	}
	if !slices.Contains(types.StopReason("").Values(), a.StopReason) {
		c.addf("stopReason %q is not one of the API model's values", a.StopReason)
	}
	c.usage(a)
	if a.LatencyMs < 0 {
		c.addf("no metrics.latencyMs")
	}
	c.tools(a)

	x := s.Expect
	if len(x.StopReasons) > 0 && !slices.Contains(x.StopReasons, a.StopReason) {
		c.addf("stopReason %q, want one of %v", a.StopReason, x.StopReasons)
	}
	if len(x.ToolUse) > 0 {
		var called []string
		for _, b := range a.Blocks {
			if b.Type == BlockToolUse && (slices.Contains(x.ToolUse, b.Name) || x.ToolUse[0] == "") {
				called = append(called, b.Name)
			}
		}
		if len(called) == 0 {
			c.addf("want a call to one of the tools %q, got blocks %s", x.ToolUse, blockKinds(a.Blocks))
		}
	}
	for _, stop := range x.TextOmits {
		for i, b := range a.Blocks {
			if b.Type == BlockText && strings.Contains(b.Text, stop) {
				c.addf("text block %d %q contains %q", i, b.Text, stop)
			}
		}
	}
	if x.MaxOutputTokens > 0 && a.Usage != nil && int(aws.ToInt32(a.Usage.OutputTokens)) > x.MaxOutputTokens {
		c.addf("outputTokens %d, want at most %d", aws.ToInt32(a.Usage.OutputTokens), x.MaxOutputTokens)
	}
}

func blockKinds(bs []Block) string {
	var kinds []string
	for _, b := range bs {
		kinds = append(kinds, b.Type)
	}
	return "[" + strings.Join(kinds, " ") + "]"
}

// usage checks the token counts: all present, none negative, total = input + output +
// cache read + cache write (docs/wire-facts.md §2.5 item 5), output within maxTokens.
func (c *checker) usage(a *Answer) {
	u := a.Usage
	if u == nil || u.InputTokens == nil || u.OutputTokens == nil || u.TotalTokens == nil {
		c.addf("usage %s, want inputTokens, outputTokens and totalTokens", usageString(u))
		return
	}
	in, out := *u.InputTokens, *u.OutputTokens
	read, write := aws.ToInt32(u.CacheReadInputTokens), aws.ToInt32(u.CacheWriteInputTokens)
	if in < 1 || out < 0 || read < 0 || write < 0 {
		c.addf("usage %s has a count below its minimum", usageString(u))
	}
	if sum := in + out + read + write; *u.TotalTokens != sum {
		c.addf("totalTokens %d, want %d (input + output + cache read + cache write)", *u.TotalTokens, sum)
	}
	if ic := a.Input.InferenceConfig; ic != nil && ic.MaxTokens != nil && out > *ic.MaxTokens {
		c.addf("outputTokens %d exceed maxTokens %d", out, *ic.MaxTokens)
	}
}

func usageString(u *types.TokenUsage) string {
	if u == nil {
		return "missing"
	}
	f := func(p *int32) string {
		if p == nil {
			return "-"
		}
		return strconv.Itoa(int(*p))
	}
	return fmt.Sprintf("{input %s, output %s, total %s, cacheRead %s, cacheWrite %s}",
		f(u.InputTokens), f(u.OutputTokens), f(u.TotalTokens), f(u.CacheReadInputTokens), f(u.CacheWriteInputTokens))
}

var toolUseIDPattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// tools checks tool calls: stopReason tool_use only with a toolUse block; forced tool
// choice obeyed; every call has a well-formed unique ID, names a tool of the request, and
// has an input that is a JSON object valid against that tool's input schema.
func (c *checker) tools(a *Answer) {
	schemas, choice := requestTools(a)
	var uses []Block
	for _, b := range a.Blocks {
		if b.Type == BlockToolUse {
			uses = append(uses, b)
		}
	}
	if a.StopReason == types.StopReasonToolUse && len(uses) == 0 {
		c.addf("stopReason tool_use, but no toolUse block in %s", blockKinds(a.Blocks))
	}
	if choice != "" && a.StopReason != types.StopReasonMaxTokens {
		if len(uses) == 0 {
			c.addf("toolChoice forces a tool call, got blocks %s", blockKinds(a.Blocks))
		}
		for _, u := range uses {
			if choice != "*" && u.Name != choice {
				c.addf("toolChoice names tool %q, the model called %q", choice, u.Name)
			}
		}
	}
	seen := map[string]bool{}
	for _, u := range uses {
		if !toolUseIDPattern.MatchString(u.ToolUseID) {
			c.addf("toolUseId %q does not match [a-zA-Z0-9_-]{1,64}", u.ToolUseID)
		}
		if seen[u.ToolUseID] {
			c.addf("toolUseId %q used twice", u.ToolUseID)
		}
		seen[u.ToolUseID] = true
		schema, ok := schemas[u.Name]
		if !ok {
			c.addf("toolUse names %q, which is not a tool of the request", u.Name)
			continue
		}
		input, err := decodeJSON(u.Input)
		if err != nil {
			c.addf("toolUse %s input %q is not JSON: %v", u.Name, u.Input, err)
			continue
		}
		if _, ok := input.(map[string]any); !ok {
			c.addf("toolUse %s input %s is not a JSON object", u.Name, u.Input)
			continue
		}
		if err := validate(schema, input, "input"); err != nil {
			c.addf("toolUse %s input %s does not fit the tool's schema: %v", u.Name, u.Input, err)
		}
	}
}

// requestTools returns the input schemas of the request's tools by name (nil for a system
// tool, whose input is the service's business), and the tool a toolChoice forces: its
// name, "*" for any, "" for none.
func requestTools(a *Answer) (map[string]any, string) {
	schemas := map[string]any{}
	tc := a.Input.ToolConfig
	if tc == nil {
		return schemas, ""
	}
	for _, t := range tc.Tools {
		if st, ok := t.(*types.ToolMemberSystemTool); ok {
			schemas[aws.ToString(st.Value.Name)] = nil // a service tool: any input
			continue
		}
		spec, ok := t.(*types.ToolMemberToolSpec)
		if !ok {
			continue
		}
		var schema any = map[string]any{}
		if js, ok := spec.Value.InputSchema.(*types.ToolInputSchemaMemberJson); ok {
			if v, err := decodeJSON(docJSON(js.Value)); err == nil {
				schema = v
			}
		}
		schemas[aws.ToString(spec.Value.Name)] = schema
	}
	switch ch := tc.ToolChoice.(type) {
	case *types.ToolChoiceMemberAny:
		return schemas, "*"
	case *types.ToolChoiceMemberTool:
		return schemas, aws.ToString(ch.Value.Name)
	}
	return schemas, ""
}

func decodeJSON(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("data after the JSON value")
	}
	return v, nil
}

// same checks that a deterministic target answered the same request the same way in two
// steps, e.g. Converse and ConverseStream.
func (c *checker) same(want, got *Answer, step int) {
	if want.Err != nil {
		return
	}
	if d := jsondiff.Format(jsondiff.Diff("blocks", blocksValue(want.Blocks), blocksValue(got.Blocks), nil)); d != "" {
		c.addf("content differs from step %d's answer to the same request (-step %d +this):\n%s", step, step, d)
	}
	if want.StopReason != got.StopReason {
		c.addf("stopReason %s, step %d's answer to the same request has %s", got.StopReason, step, want.StopReason)
	}
	if usageString(want.Usage) != usageString(got.Usage) {
		c.addf("usage %s, step %d's answer to the same request has %s", usageString(got.Usage), step, usageString(want.Usage))
	}
}

// blocksValue is blocks as a JSON value to diff, their fields by their Go names: a tool
// input decoded, so that two inputs equal as JSON are equal, or as a string where it is not
// JSON (the concatenated deltas of a broken stream).
func blocksValue(blocks []Block) []any {
	out := make([]any, len(blocks))
	for i, b := range blocks {
		var input any
		if len(b.Input) > 0 {
			if v, err := decodeJSON(b.Input); err == nil {
				input = v
			} else {
				input = string(b.Input)
			}
		}
		out[i] = map[string]any{"Type": b.Type, "Text": b.Text, "ToolUseID": b.ToolUseID, "Name": b.Name, "Input": input}
	}
	return out
}

// converseWire checks a Converse body as Bedrock writes it: application/json, compact,
// keys in lexicographic order at every modelled level, raw UTF-8 (docs/wire-facts.md §2.2, §2.5).
func (c *checker) converseWire(a *Answer) {
	if ct := a.Header.Get("Content-Type"); ct != "application/json" {
		c.addf("Content-Type %q, want application/json", ct)
	}
	c.jsonForm("body", a.Body, documentPaths)
	v, err := decodeJSON(a.Body)
	if err != nil {
		return
	}
	top, _ := v.(map[string]any)
	for _, k := range []string{"metrics", "output", "stopReason", "usage"} {
		if _, ok := top[k]; !ok {
			c.addf("body has no %q member", k)
		}
	}
}

// documentPaths are the members whose values are documents (or maps) kept as the model,
// tool or guardrail wrote them, so key order is not checked inside them: tool input, tool
// result json (Nova's code interpreter sends {"stdOut":…,"stdErr":…} in that order, in a
// real recording), additionalModelResponseFields, and the guardrail trace with its maps
// keyed by guardrail ID.
var documentPaths = []string{"input", "json", "additionalModelResponseFields", "trace"}

// jsonForm checks that raw is compact JSON with keys sorted outside documents, and with no
// escapes Bedrock does not write (it sends raw UTF-8 and does not escape <, >, &).
func (c *checker) jsonForm(what string, raw []byte, docs []string) {
	var compact bytes.Buffer
	if err := json.Compact(&compact, raw); err != nil {
		c.addf("%s is not JSON: %v: %.200s", what, err, raw)
		return
	}
	if !bytes.Equal(compact.Bytes(), raw) {
		c.addf("%s is not compact JSON: %.200s", what, raw)
	}
	if err := sortedKeys(raw, docs); err != nil {
		c.addf("%s: %v", what, err)
	}
	if r := needlessEscape(raw); r >= 0 {
		c.addf("%s escapes U+%04X as \\u%04x; Bedrock writes it as it is", what, r, r)
	}
}

// sortedKeys reports the first object, outside members named in docs (and everything in
// them), whose keys are not in lexicographic order.
func sortedKeys(raw []byte, docs []string) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var walk func(path, name string, inDoc bool) error
	walk = func(path, name string, inDoc bool) error {
		inDoc = inDoc || slices.Contains(docs, name)
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			prev := ""
			for i := 0; dec.More(); i++ {
				kt, err := dec.Token()
				if err != nil {
					return err
				}
				k := kt.(string)
				if !inDoc && i > 0 && k < prev {
					return fmt.Errorf("key %q comes after %q in %s; Bedrock sorts keys", k, prev, orRoot(path))
				}
				prev = k
				if err := walk(strings.TrimPrefix(path+"."+k, "."), k, inDoc); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		case json.Delim('['):
			for dec.More() {
				if err := walk(path+"[]", name, inDoc); err != nil {
					return err
				}
			}
			_, err = dec.Token()
			return err
		}
		return nil
	}
	return walk("", "", false)
}

func orRoot(path string) string {
	if path == "" {
		return "the top-level object"
	}
	return path
}

// needlessEscape returns the first character raw JSON escapes that Bedrock would write
// as it is (<, >, &, or any non-ASCII character but U+2028 and U+2029), or -1.
func needlessEscape(raw []byte) rune {
	for i := 0; i < len(raw)-1; i++ {
		if raw[i] != '\\' {
			continue
		}
		if raw[i+1] == 'u' && i+6 <= len(raw) {
			n, err := strconv.ParseUint(string(raw[i+2:i+6]), 16, 32)
			r := rune(n)
			if err == nil && (r == '<' || r == '>' || r == '&' || r >= 0x80 && r != 0x2028 && r != 0x2029) {
				return r
			}
		}
		i++ // skip the escaped character
	}
	return -1
}

// The event-stream header order of Bedrock's frames (docs/wire-facts.md §3.2).
var (
	eventHeaders     = []string{":event-type", ":content-type", ":message-type"}
	exceptionHeaders = []string{":exception-type", ":content-type", ":message-type"}
)

const paddingAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// streamWire checks a ConverseStream response on the wire: its headers, and every frame's
// headers, padding and JSON form (docs/wire-facts.md §3.1–3.3).
func (c *checker) streamWire(a *Answer) {
	if ct := a.Header.Get("Content-Type"); ct != "application/vnd.amazon.eventstream" {
		c.addf("Content-Type %q, want application/vnd.amazon.eventstream", ct)
	}
	if cl := a.Header.Get("Content-Length"); cl != "" {
		c.addf("stream has Content-Length %s; Bedrock streams chunked", cl)
	}
	dec := eventstream.NewDecoder()
	r := bytes.NewReader(a.Body)
	for n := 0; r.Len() > 0; n++ {
		msg, err := dec.Decode(r, nil)
		if err != nil {
			c.addf("frame %d does not decode: %v", n, err)
			return
		}
		var names []string
		values := map[string]string{}
		for _, h := range msg.Headers {
			names = append(names, h.Name)
			values[h.Name] = h.Value.String()
			if _, ok := h.Value.(eventstream.StringValue); !ok {
				c.addf("frame %d header %s is not a string", n, h.Name)
			}
		}
		want := eventHeaders
		if values[":message-type"] == "exception" {
			want = exceptionHeaders
		}
		if !slices.Equal(names, want) {
			c.addf("frame %d headers %q, want %q in that order", n, names, want)
		}
		if ct := values[":content-type"]; ct != "application/json" {
			c.addf("frame %d :content-type %q, want application/json", n, ct)
		}
		what := fmt.Sprintf("frame %d (%s%s) payload", n, values[":event-type"], values[":exception-type"])
		c.jsonForm(what, msg.Payload, documentPaths)
		var payload map[string]any
		if json.Unmarshal(msg.Payload, &payload) != nil {
			continue
		}
		p, hasP := payload["p"].(string)
		switch {
		case values[":message-type"] == "exception" && hasP:
			c.addf("%s has a \"p\" member; exception payloads have none", what)
		case values[":message-type"] == "event" && (!hasP || !strings.HasPrefix(paddingAlphabet, p)):
			c.addf("%s has no \"p\" padding of Bedrock's form (a prefix of a-zA-Z0-9), got %q", what, payload["p"])
		}
	}
}

// grammar checks the order of a stream's events (docs/wire-facts.md §3.4): messageStart; per
// block, in index order and never interleaved, contentBlockStart only for toolUse and
// toolResult, deltas, contentBlockStop; messageStop; metadata last.
func (c *checker) grammar(events []types.ConverseStreamOutput) {
	if len(events) == 0 {
		c.addf("the stream has no events")
		return
	}
	if ms, ok := events[0].(*types.ConverseStreamOutputMemberMessageStart); !ok {
		c.addf("event 0 is %s, want messageStart", eventName(events[0]))
	} else if ms.Value.Role != types.ConversationRoleAssistant {
		c.addf("messageStart role %q, want assistant", ms.Value.Role)
	}
	const none = -1
	open, next := int32(none), int32(0)
	openKind := ""
	stopped, metadata := false, false
	for i, ev := range events[1:] {
		i++
		bad := func(format string, args ...any) {
			c.addf("event %d (%s): %s", i, eventName(ev), fmt.Sprintf(format, args...))
		}
		if metadata {
			bad("comes after metadata, which must be last")
			return
		}
		if stopped {
			if _, ok := ev.(*types.ConverseStreamOutputMemberMetadata); !ok {
				bad("comes after messageStop; only metadata may")
				return
			}
		}
		switch e := ev.(type) {
		case *types.ConverseStreamOutputMemberMessageStart:
			bad("a second messageStart")
		case *types.ConverseStreamOutputMemberContentBlockStart:
			idx := aws.ToInt32(e.Value.ContentBlockIndex)
			switch {
			case open != none:
				bad("block %d starts while block %d is open", idx, open)
			case idx != next:
				bad("block index %d, want %d", idx, next)
			}
			switch e.Value.Start.(type) {
			case *types.ContentBlockStartMemberToolUse:
				openKind = BlockToolUse
			case *types.ContentBlockStartMemberToolResult:
				openKind = BlockToolResult
			case *types.ContentBlockStartMemberImage:
				openKind = blockImage
			default:
				bad("contentBlockStart is sent only for toolUse, toolResult and image blocks")
			}
			open = idx
		case *types.ConverseStreamOutputMemberContentBlockDelta:
			idx := aws.ToInt32(e.Value.ContentBlockIndex)
			kind := deltaKind(e.Value.Delta)
			switch {
			case open == none && idx != next:
				bad("block index %d, want %d", idx, next)
			case open == none:
				if kind == BlockToolUse {
					bad("toolUse delta without a contentBlockStart naming the tool")
				}
				open, openKind = idx, kind
			case idx != open:
				bad("delta for block %d while block %d is open", idx, open)
			case kind != openKind:
				bad("%s delta in a %s block", kind, openKind)
			}
		case *types.ConverseStreamOutputMemberContentBlockStop:
			idx := aws.ToInt32(e.Value.ContentBlockIndex)
			switch {
			case open == none && idx != next:
				bad("stops block %d, want %d", idx, next)
			case open != none && idx != open:
				bad("stops block %d while block %d is open", idx, open)
			}
			open, next = none, next+1
		case *types.ConverseStreamOutputMemberMessageStop:
			if open != none {
				bad("block %d is still open", open)
			}
			stopped = true
		case *types.ConverseStreamOutputMemberMetadata:
			if !stopped {
				bad("metadata before messageStop")
			}
			metadata = true
		default:
			bad("not an event of the ConverseStream grammar")
		}
	}
	if !stopped {
		c.addf("the stream has no messageStop")
	}
	if !metadata {
		c.addf("the stream has no metadata event")
	}
}

// blockImage is the kind of a generated image block, which only streams show.
const blockImage = "image"

func deltaKind(d types.ContentBlockDelta) string {
	switch d.(type) {
	case *types.ContentBlockDeltaMemberText, *types.ContentBlockDeltaMemberCitation:
		return BlockText // citations come with the text they support
	case *types.ContentBlockDeltaMemberImage:
		return blockImage
	case *types.ContentBlockDeltaMemberToolUse:
		return BlockToolUse
	case *types.ContentBlockDeltaMemberReasoningContent:
		return BlockReasoning
	case *types.ContentBlockDeltaMemberToolResult:
		return BlockToolResult
	}
	return BlockOther
}

// eventName is an event's :event-type.
func eventName(ev types.ConverseStreamOutput) string {
	switch ev.(type) {
	case *types.ConverseStreamOutputMemberMessageStart:
		return "messageStart"
	case *types.ConverseStreamOutputMemberContentBlockStart:
		return "contentBlockStart"
	case *types.ConverseStreamOutputMemberContentBlockDelta:
		return "contentBlockDelta"
	case *types.ConverseStreamOutputMemberContentBlockStop:
		return "contentBlockStop"
	case *types.ConverseStreamOutputMemberMessageStop:
		return "messageStop"
	case *types.ConverseStreamOutputMemberMetadata:
		return "metadata"
	}
	return fmt.Sprintf("%T", ev)
}
