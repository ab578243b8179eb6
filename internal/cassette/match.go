package cassette

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
	"github.com/bedrock-emulator/bedrock-emulator/internal/jsondiff"
)

// MatcherFunc reports whether an incoming request matches a recorded one. got is the
// incoming request in recorded form (method, URL, body, headers).
type MatcherFunc func(got, recorded *Request) bool

// DefaultMatcher matches Bedrock Runtime requests on what the service reads: the method,
// the operation, the decoded model ID and the body as canonical JSON (member order,
// insignificant white space, number spelling and string escapes ignored; account IDs in
// ARNs ignored, so cassettes with masked account IDs still match). Headers are not
// compared: every input member of Converse and ConverseStream is in the path or the body
// (API model, internal/spec), and the headers differ by SDK, signature and time alone. A
// recorded request with no body matches any body (imports of bare response bodies have
// none). Requests to paths that name no model (api.ModelOperation) match on method, path,
// query and body.
func DefaultMatcher(got, recorded *Request) bool { return keyOf(recorded).matches(keyOf(got)) }

// key is what DefaultMatcher compares.
type key struct {
	method, op, model, path, body string
	// auth is "signed" or "unsigned", or "" when the request's headers were not recorded:
	// not matched, but of two matching interactions the player prefers the one of the same
	// signedness (Bedrock answers an unsigned request AccessDeniedException whatever its
	// body, and requests sent concurrently reach a cassette in any order).
	auth string
}

func keyOf(r *Request) key {
	k := key{method: strings.ToUpper(r.Method), body: canonicalBody(r.Body), auth: signedness(r)}
	if k.method == "" {
		k.method = "POST"
	}
	op, model, ok := api.ModelOperation(r.URL)
	if ok {
		k.op, k.model = op, maskAccountIDs(model)
		return k
	}
	if u, err := url.Parse(r.URL); err == nil {
		k.path = u.EscapedPath() + "?" + u.RawQuery
	} else {
		k.path = r.URL
	}
	return k
}

// matches reports whether got matches the recorded key k.
func (k key) matches(got key) bool {
	return k.method == got.method && k.op == got.op && k.model == got.model && k.path == got.path &&
		(k.body == "" || k.body == got.body)
}

// signedness is "signed" when r carries an Authorization header or a presigned URL's
// signature, "unsigned" when it carries neither, and "" when its headers were not recorded.
func signedness(r *Request) string {
	switch {
	case len(r.Headers) == 0:
		return ""
	case r.Headers.Get("Authorization") != "" || strings.Contains(r.URL, "X-Amz-Signature="):
		return "signed"
	}
	return "unsigned"
}

// canonicalBody is body as canonical JSON, or as it is when it is not JSON.
func canonicalBody(body string) string {
	if strings.TrimSpace(body) == "" {
		return ""
	}
	v, ok := decodeJSON(body)
	if !ok {
		return body
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(normalize(v)); err != nil {
		return body
	}
	return maskAccountIDs(strings.TrimSuffix(buf.String(), "\n"))
}

func decodeJSON(s string) (any, bool) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return nil, false
	}
	return v, true
}

// normalize rewrites numbers by value (1.0 and 1 are one number), recursively; maps are
// encoded with sorted keys by encoding/json.
func normalize(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = normalize(e)
		}
	case []any:
		for i, e := range v {
			v[i] = normalize(e)
		}
	case json.Number:
		if f, err := strconv.ParseFloat(string(v), 64); err == nil {
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
		}
	}
	return v
}

// accountInARN finds the account ID of an ARN, plain or percent-encoded.
var accountInARN = regexp.MustCompile(`(?i)(arn(?::|%3A)aws[a-z-]*(?::|%3A)[a-z0-9-]*(?::|%3A)[a-z0-9-]*(?::|%3A))([0-9]{12})((?::|%3A))`)

// MaskedAccountID replaces account IDs in ARNs when they are masked.
const MaskedAccountID = "000000000000"

func maskAccountIDs(s string) string {
	return accountInARN.ReplaceAllString(s, "${1}"+MaskedAccountID+"${3}")
}

// ErrNoMatch is wrapped by the error Player.Play returns when no recorded interaction
// matches a request. It is the module's one "no match" sentinel: recorder, fixtures and
// conformance export it as their ErrNoMatch, so errors.Is works across them.
var ErrNoMatch = errors.New("no recorded interaction matches")

// MissError is a request that no recorded interaction matched, with the one that came
// closest.
type MissError struct {
	// Request describes the request, e.g. "POST ConverseStream us.amazon.nova-micro-v1:0".
	Request string
	// Exhausted is true when interactions match but have all been replayed already.
	Exhausted bool
	// Closest names the closest recorded interaction ("cassette.yaml #3"), and Diff is the
	// difference from it to the request, (-recorded +got); both empty when there is none.
	Closest, Diff string
}

// Error says what the request was and how the closest interaction differs.
func (e *MissError) Error() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%v: %s", ErrNoMatch, e.Request)
	switch {
	case e.Exhausted:
		fmt.Fprintf(&sb, " (the matching interactions, the last %s, were all replayed already)", e.Closest)
	case e.Closest == "":
		sb.WriteString(" (the cassette has no interactions)")
	default:
		fmt.Fprintf(&sb, "; closest is %s (-recorded +got):\n%s", e.Closest, e.Diff)
	}
	return sb.String()
}

// Is makes errors.Is(err, ErrNoMatch) true.
func (e *MissError) Is(target error) bool { return target == ErrNoMatch }

// RetryableError is false: the AWS SDK does not retry a request no interaction matches.
func (e *MissError) RetryableError() bool { return false }

// PlayerOptions configure a Player.
type PlayerOptions struct {
	// Matcher compares requests; nil means DefaultMatcher.
	Matcher MatcherFunc
	// Repeat lets interactions answer again once every interaction matching a request has
	// been replayed, in recorded order again. Without it such a request is a miss.
	Repeat bool
}

// WithMatcher sets PlayerOptions.Matcher.
func WithMatcher(m MatcherFunc) func(*PlayerOptions) { return func(o *PlayerOptions) { o.Matcher = m } }

// WithRepeat sets PlayerOptions.Repeat.
func WithRepeat(on bool) func(*PlayerOptions) { return func(o *PlayerOptions) { o.Repeat = on } }

// Player hands out recorded interactions to the requests that match them. Identical
// requests get their interactions in recorded order. It is safe for concurrent use.
type Player struct {
	opts         PlayerOptions
	mu           sync.Mutex
	interactions []*Interaction
	names        []string // where each interaction comes from, for messages
	index        map[*Interaction]int
	keys         []key
	played       []bool
	uses         []int // how many times each interaction was replayed
	// With DefaultMatcher, the interactions by key, in recorded order, so that a request
	// costs the same in a cassette of ten interactions or of ten thousand: those with a
	// body by their whole key, those without (which match any body) by their key with an
	// empty body; both with their auth left out, which matching compares.
	byKey, anyBody map[key][]int
}

// NewPlayer returns a Player of the interactions of cassettes, in order. The zero
// PlayerOptions match with DefaultMatcher and play each interaction once.
func NewPlayer(cassettes []*Cassette, optFns ...func(*PlayerOptions)) *Player {
	var opts PlayerOptions
	for _, fn := range optFns {
		fn(&opts)
	}
	p := &Player{opts: opts, index: map[*Interaction]int{}}
	for _, c := range cassettes {
		for _, i := range c.Interactions {
			p.index[i] = len(p.interactions)
			p.interactions = append(p.interactions, i)
			p.names = append(p.names, fmt.Sprintf("%s #%d", c.Name, i.ID))
			p.keys = append(p.keys, keyOf(&i.Request))
		}
	}
	p.played = make([]bool, len(p.interactions))
	p.uses = make([]int, len(p.interactions))
	if opts.Matcher == nil {
		p.byKey, p.anyBody = make(map[key][]int), make(map[key][]int)
		for n, k := range p.keys {
			k.auth = ""
			if k.body == "" {
				p.anyBody[k] = append(p.anyBody[k], n)
			} else {
				p.byKey[k] = append(p.byKey[k], n)
			}
		}
	}
	return p
}

// matching yields, in recorded order, the interactions whose request matches got (whose
// key is gk).
func (p *Player) matching(got *Request, gk key) iter.Seq[int] {
	return func(yield func(int) bool) {
		if p.opts.Matcher != nil {
			for n := range p.interactions {
				if p.opts.Matcher(got, &p.interactions[n].Request) && !yield(n) {
					return
				}
			}
			return
		}
		gk.auth = ""
		exact := p.byKey[gk]
		gk.body = ""
		for _, n := range mergeSorted(exact, p.anyBody[gk]) {
			if !yield(n) {
				return
			}
		}
	}
}

// mergeSorted merges two ascending lists.
func mergeSorted(a, b []int) []int {
	if len(b) == 0 {
		return a
	}
	if len(a) == 0 {
		return b
	}
	out := make([]int, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if a[0] < b[0] {
			out, a = append(out, a[0]), a[1:]
		} else {
			out, b = append(out, b[0]), b[1:]
		}
	}
	return append(append(out, a...), b...)
}

// Play returns the first interaction not yet replayed whose request matches got, and marks
// it replayed, or a *MissError.
func (p *Player) Play(got *Request) (*Interaction, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	gk := keyOf(got)
	i, last := p.play(got, gk)
	if i != nil {
		return i, nil
	}
	miss := &MissError{Request: describe(gk)}
	if last >= 0 {
		miss.Exhausted, miss.Closest = true, p.names[last]
		return nil, miss
	}
	miss.Closest, miss.Diff = p.closest(gk)
	return nil, miss
}

// Match is Play for a caller with no use for the reason of a miss: it returns nil when no
// interaction answers got. Where Play compares a request that matches nothing with every
// interaction, to name the closest, Match costs the same for a cassette of any size.
func (p *Player) Match(got *Request) *Interaction {
	p.mu.Lock()
	defer p.mu.Unlock()
	i, _ := p.play(got, keyOf(got))
	return i
}

// play returns the interaction that answers got, marked replayed, or nil and the last
// interaction that matched (-1 for none).
func (p *Player) play(got *Request, gk key) (*Interaction, int) {
	last, pick := -1, -1
	for n := range p.matching(got, gk) {
		if p.played[n] {
			last = n
			continue
		}
		if p.keys[n].auth == gk.auth {
			pick = n
			break
		}
		if pick < 0 {
			pick = n // the first unplayed, should none be of got's signedness
		}
	}
	if pick >= 0 {
		p.played[pick] = true
		p.uses[pick]++
		return p.interactions[pick], pick
	}
	if last >= 0 && p.opts.Repeat {
		first := -1
		for n := range p.matching(got, gk) {
			p.played[n] = false
			if first < 0 {
				first = n
			}
		}
		p.played[first] = true
		p.uses[first]++
		return p.interactions[first], first
	}
	return nil, last
}

// Unplayed returns the names of the interactions not replayed yet ("cassette.yaml #3").
func (p *Player) Unplayed() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for n, played := range p.played {
		if !played {
			out = append(out, p.names[n])
		}
	}
	return out
}

// Uses returns how many times each interaction has been replayed, in the Player's order
// (its cassettes', and their interactions', order).
func (p *Player) Uses() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.uses)
}

// Name returns where interaction i of the Player comes from ("cassette.yaml #3"), or "" for
// an interaction it does not hold.
func (p *Player) Name(i *Interaction) string {
	if n, ok := p.index[i]; ok {
		return p.names[n]
	}
	return ""
}

// Len is the number of interactions.
func (p *Player) Len() int { return len(p.interactions) }

// closest finds the recorded request most like got: the fewest differing values (method,
// operation, model, body leaves), then the longest common start and end of the bodies. It
// returns its name and the diff from it to got.
func (p *Player) closest(got key) (name, diff string) {
	best, bestShared := -1, 0
	var bestChanges []jsondiff.Change
	for n, k := range p.keys {
		changes := diffKeys(k, got)
		shared := sharedEnds(k.body, got.body)
		if best < 0 || len(changes) < len(bestChanges) || len(changes) == len(bestChanges) && shared > bestShared {
			best, bestChanges, bestShared = n, changes, shared
		}
	}
	if best < 0 {
		return "", ""
	}
	return p.names[best], jsondiff.Format(bestChanges)
}

// sharedEnds is the length of the common start plus the common end of a and b.
func sharedEnds(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	m := 0
	for m < len(a)-n && m < len(b)-n && a[len(a)-1-m] == b[len(b)-1-m] {
		m++
	}
	return n + m
}

func describe(k key) string {
	if k.op != "" {
		return k.method + " " + k.op + " " + k.model
	}
	return k.method + " " + k.path
}
