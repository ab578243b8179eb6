package emulator

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/bedrock-emulator/bedrock-emulator/internal/jsonschema"
)

// ToolPolicy says when the default generator calls a tool the request offers and leaves the
// choice to the model (toolChoice auto, or no toolChoice, which Bedrock takes as auto).
// toolChoice any and tool always get a tool call, whatever the policy.
type ToolPolicy int

const (
	// ToolsAuto, the default, calls the first tool the last user message makes relevant
	// (see relevantTool for the rule), as a real model would.
	ToolsAuto ToolPolicy = iota
	// ToolsNever never calls a tool under toolChoice auto: the answer is text.
	ToolsNever
)

// String returns "auto" or "never", the names ParseToolPolicy takes.
func (p ToolPolicy) String() string {
	switch p {
	case ToolsAuto:
		return "auto"
	case ToolsNever:
		return "never"
	}
	return fmt.Sprintf("ToolPolicy(%d)", int(p))
}

// ParseToolPolicy returns the policy named s ("auto" or "never").
func ParseToolPolicy(s string) (ToolPolicy, error) {
	for _, p := range []ToolPolicy{ToolsAuto, ToolsNever} {
		if s == p.String() {
			return p, nil
		}
	}
	return 0, fmt.Errorf("%q is not one of auto, never", s)
}

// WithTools sets Options.Tools.
func WithTools(p ToolPolicy) func(*Options) { return func(o *Options) { o.Tools = p } }

// relevantTool is the tool the default generator calls under toolChoice auto, or nil. It is
// the first toolSpec, in the request's order, that the last message makes relevant, when that
// message is the user's and holds text and no tool results (after a tool result the model
// answers in text). A tool is relevant when the message's text, compared in lower case word
// by word, holds
//   - the tool's name (get_weather), or one of the words of its name (split at _, -, . and
//     lower-to-upper case changes: "weather" of getWeather) that is a keyword, or
//   - two keywords of its description.
//
// A keyword is a word of four or more letters or digits that is not one of the common words
// of stopWords ("what", "with", "returns", ...). Words compare by their stem (stem), so that
// "calculate" makes a calculator tool relevant.
func relevantTool(req *ConverseRequest) *ToolSpec {
	if req.ToolConfig == nil {
		return nil
	}
	text, ok := heardText(req)
	if !ok {
		return nil
	}
	said := words(text)
	if len(said) == 0 {
		return nil
	}
	// heard holds the words said, their stems, and the phrases of two to maxNameWords
	// words, so that each tool costs the same however long the message.
	heard := make(map[string]bool, 2*len(said))
	for i, w := range said {
		heard[w] = true
		heard[stem(w)] = true
		for n := 2; n <= maxNameWords && i+n <= len(said); n++ {
			heard[strings.Join(said[i:i+n], " ")] = true
		}
	}
	for _, t := range req.ToolConfig.Tools {
		s := t.ToolSpec
		if s == nil {
			continue
		}
		name := words(splitName(s.Name))
		if heard[strings.ToLower(s.Name)] || len(name) <= maxNameWords && heard[strings.Join(name, " ")] {
			return s
		}
		for _, w := range name {
			if keyword(w) && heard[stem(w)] {
				return s
			}
		}
		n := 0
		seen := map[string]bool{}
		for _, w := range words(s.Description) {
			if st := stem(w); keyword(w) && heard[st] && !seen[st] {
				seen[st] = true
				if n++; n == 2 {
					return s
				}
			}
		}
	}
	return nil
}

// maxHeard bounds the text of the last user message the tool policy reads, and
// maxNameWords the words of a tool name it looks for as a phrase: the cost of the policy
// stays bounded however large the request.
const (
	maxHeard     = 64 << 10
	maxNameWords = 4
)

// heardText is the text the tool policy reads: the last message's (messageText), when that
// message is the user's and holds no tool result.
func heardText(req *ConverseRequest) (string, bool) {
	if len(req.Messages) == 0 {
		return "", false
	}
	last := req.Messages[len(req.Messages)-1]
	if last.Role != RoleUser {
		return "", false
	}
	for _, b := range last.Content {
		if b.ToolResult != nil {
			return "", false
		}
	}
	return messageText(last, maxHeard), true
}

// messageText joins the text blocks of msg with spaces, its first limit bytes (cut at a
// character boundary).
func messageText(msg Message, limit int) string {
	var text strings.Builder
	for _, b := range msg.Content {
		if b.Text == nil || text.Len() >= limit {
			continue
		}
		if text.Len() > 0 {
			text.WriteByte(' ')
		}
		text.WriteString(*b.Text)
	}
	s := text.String()
	if len(s) > limit {
		s = strings.ToValidUTF8(s[:limit], "")
	}
	return s
}

// words splits s into its lower-case words: runs of letters, digits and _.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_'
	})
}

// splitName spells a tool name as words: get_current_weather and getCurrentWeather give
// "get current weather".
func splitName(name string) string {
	var b strings.Builder
	prev := rune(0)
	for _, r := range name {
		switch {
		case r == '_' || r == '-' || r == '.':
			r = ' '
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// stem cuts one common English ending off w, where four letters remain, so that a word
// and its kin compare equal: calculator, calculate and calculations are all "calculat".
func stem(w string) string {
	for _, suffix := range []string{"ations", "ation", "ions", "ion", "ings", "ing", "ers", "ors", "er", "or", "ed", "es", "s", "e", "y"} {
		if len(w)-len(suffix) >= 4 && strings.HasSuffix(w, suffix) {
			return w[:len(w)-len(suffix)]
		}
	}
	return w
}

func keyword(w string) bool {
	return len([]rune(w)) >= 4 && !stopWords[w]
}

// stopWords are words of four letters or more too common in questions and tool descriptions
// to make a tool relevant.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`about above after again also another based been before being below between
		both call called calls could does doing done each either else every from function functions
		given gives have having here input inputs into just know like make many more most much must need
		only other output over please provide provided provides return returned returns same should
		some such tell than that their them then there these they this those through tool tools under
		until upon used uses using value values very want what when where which while will with
		would your yours`) {
		m[w] = true
	}
	return m
}()

// toolInput is the input of a tool call the default generator makes: a value synthesized
// from the tool's schema, whose top-level plain string properties take the word the user's
// text gives after the property's name ("city Paris", "city: Paris", "city is Paris", a
// quoted phrase), where it gives one.
func toolInput(spec *ToolSpec, req *ConverseRequest) []byte {
	text, _ := heardText(req)
	return jsonschema.SynthesizeWith(spec.InputSchema.JSON, func(prop string) (string, bool) {
		return valueAfter(text, prop)
	})
}

// valueAfter finds name in text as a word (case aside, _ read as a space) and returns what
// follows it: a quoted phrase, or one word, past a ':', '=', "is" or "of".
func valueAfter(text, name string) (string, bool) {
	name = strings.TrimSpace(strings.ToLower(strings.ReplaceAll(name, "_", " ")))
	if name == "" {
		return "", false
	}
	lower := strings.ToLower(text)
	for from := 0; from < len(lower); {
		i := strings.Index(lower[from:], name)
		if i < 0 {
			return "", false
		}
		i += from
		end := i + len(name)
		from = end
		if i > 0 && wordRune(lower[i-1]) || end < len(lower) && wordRune(lower[end]) {
			continue
		}
		rest := strings.TrimLeft(text[end:], " \t:=")
		for _, joiner := range []string{"is ", "of ", "= ", ": "} {
			if len(rest) >= len(joiner) && strings.EqualFold(rest[:len(joiner)], joiner) {
				rest = strings.TrimLeft(rest[len(joiner):], " \t")
			}
		}
		if rest == "" {
			continue
		}
		if q := rest[0]; q == '"' || q == '\'' {
			if j := strings.IndexByte(rest[1:], q); j > 0 {
				return rest[1 : j+1], true
			}
		}
		v := strings.TrimRight(strings.Fields(rest)[0], ".,;:!?)\"'")
		if v != "" {
			return v, true
		}
	}
	return "", false
}

func wordRune(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 0x80
}
