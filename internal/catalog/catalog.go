package catalog

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
)

// defaultFile is the built-in catalogue.
//
//go:embed models.json
var defaultFile []byte

// Catalog is a set of models, the aliases that map opaque ARNs to them, and the generic
// model that stands in for opaque ARNs no alias maps. A Catalog is immutable once built and
// safe for concurrent use.
type Catalog struct {
	models  map[string]*Model // by foundation-model ID
	index   map[string]entry  // foundation-model IDs and inference-profile IDs
	aliases map[string]*Model // by ARN, exactly as written in the file
	alias   map[string]string // the aliases section as written, for merging
	generic *Model
	sources []string
}

// entry is what a bare identifier resolves to: a model, directly (prefix "") or through the
// cross-Region inference profile with that geography prefix.
type entry struct {
	model  *Model
	prefix string
}

// file is the JSON shape of a catalogue file; docs for each field are on Model.
type file struct {
	Version int               `json:"version"`
	Notes   []string          `json:"notes"`
	Sources []string          `json:"sources"`
	Generic json.RawMessage   `json:"generic"`
	Aliases map[string]string `json:"aliases"`
	Models  []json.RawMessage `json:"models"`
}

// fileVersion is the only catalogue file version there is.
const fileVersion = 1

var defaultCatalog = sync.OnceValue(func() *Catalog {
	c, err := Load(bytes.NewReader(defaultFile))
	if err != nil {
		panic("catalog: the built-in models.json is invalid: " + err.Error())
	}
	return c
})

// Default returns the built-in catalogue (internal/catalog/models.json), parsed on first
// use. It panics if that file is invalid, which the package's tests rule out.
func Default() *Catalog { return defaultCatalog() }

// Load reads a complete catalogue file: "version": 1, a "generic" model and the "models".
// Errors wrap ErrInvalidFile and name the bad entry.
func Load(r io.Reader) (*Catalog, error) {
	f, err := readFile(r)
	if err != nil {
		return nil, err
	}
	if f.Version != fileVersion {
		return nil, fmt.Errorf("catalog: %w: \"version\" is %d, want %d", ErrInvalidFile, f.Version, fileVersion)
	}
	if f.Generic == nil {
		return nil, fmt.Errorf("catalog: %w: no \"generic\" model", ErrInvalidFile)
	}
	empty := &Catalog{models: map[string]*Model{}, alias: map[string]string{}}
	return empty.apply(f)
}

// Merge returns a new catalogue: c with the user catalogue file read from r laid over it.
// In that file a model whose id c already has overrides only the fields it sets; a new id
// adds a model, which must then be complete; "aliases" are added (or replace an alias for
// the same ARN); "generic" overrides fields of the generic model. "version" may be omitted.
// c itself is left unchanged. Errors wrap ErrInvalidFile and name the bad entry.
func (c *Catalog) Merge(r io.Reader) (*Catalog, error) {
	f, err := readFile(r)
	if err != nil {
		return nil, err
	}
	if f.Version != 0 && f.Version != fileVersion {
		return nil, fmt.Errorf("catalog: %w: \"version\" is %d, want %d", ErrInvalidFile, f.Version, fileVersion)
	}
	return c.apply(f)
}

// LoadFile returns the built-in catalogue with the user catalogue file at path name merged
// over it: Default().MergeFile(name). This is what the --models flag loads.
func LoadFile(name string) (*Catalog, error) { return Default().MergeFile(name) }

// MergeFile is Merge with the user catalogue file at path name.
func (c *Catalog) MergeFile(name string) (*Catalog, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("catalog: %w", err)
	}
	m, err := c.Merge(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return m, nil
}

// Lookup returns the model with foundation-model ID id, without the checks Resolve makes.
func (c *Catalog) Lookup(id string) (*Model, bool) {
	m, ok := c.models[id]
	return m, ok
}

// Models returns every model in the catalogue, ordered by ID.
func (c *Catalog) Models() []*Model {
	return slices.SortedFunc(maps.Values(c.models), func(a, b *Model) int { return strings.Compare(a.ID, b.ID) })
}

// Generic returns the model that stands in for opaque ARNs no alias maps: it accepts every
// modality and feature and checks no token limit.
func (c *Catalog) Generic() *Model { return c.generic }

// Aliases returns the aliases section: ARN to the model ID or inference-profile ID it
// stands for.
func (c *Catalog) Aliases() map[string]string { return maps.Clone(c.alias) }

// Sources returns the "sources" notes of the catalogue file.
func (c *Catalog) Sources() []string { return slices.Clone(c.sources) }

// readFile decodes a catalogue file, refusing unknown fields and trailing data.
func readFile(r io.Reader) (*file, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("catalog: %w: %w", ErrInvalidFile, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("catalog: %w: data after the top-level object", ErrInvalidFile)
	}
	return &f, nil
}

// apply returns c with f laid over it; c is not modified.
func (c *Catalog) apply(f *file) (*Catalog, error) {
	n := &Catalog{
		models:  maps.Clone(c.models),
		alias:   maps.Clone(c.alias),
		generic: c.generic,
		sources: slices.Concat(c.sources, f.Sources),
	}
	if f.Generic != nil {
		g, err := decodeModel(f.Generic, c.generic)
		if err != nil {
			return nil, fmt.Errorf("catalog: %w: generic: %w", ErrInvalidFile, err)
		}
		if err := g.check(false); err != nil {
			return nil, fmt.Errorf("catalog: %w: generic: %w", ErrInvalidFile, err)
		}
		n.generic = g
	}
	seen := make(map[string]bool, len(f.Models))
	for i, raw := range f.Models {
		id := peekID(raw)
		where := fmt.Sprintf("models[%d]", i)
		if id != "" {
			where += " " + quote(id)
		}
		if id == "" {
			return nil, fmt.Errorf("catalog: %w: %s: no \"id\"", ErrInvalidFile, where)
		}
		if seen[id] {
			return nil, fmt.Errorf("catalog: %w: %s: the file lists this id twice", ErrInvalidFile, where)
		}
		seen[id] = true
		m, err := decodeModel(raw, c.models[id])
		if err == nil {
			err = m.check(true)
		}
		if err != nil {
			return nil, fmt.Errorf("catalog: %w: %s: %w", ErrInvalidFile, where, err)
		}
		n.models[id] = m
	}
	if n.generic == nil {
		return nil, fmt.Errorf("catalog: %w: no \"generic\" model", ErrInvalidFile)
	}
	if err := n.buildIndex(); err != nil {
		return nil, fmt.Errorf("catalog: %w: %w", ErrInvalidFile, err)
	}
	maps.Copy(n.alias, f.Aliases)
	if err := n.buildAliases(); err != nil {
		return nil, fmt.Errorf("catalog: %w: %w", ErrInvalidFile, err)
	}
	return n, nil
}

// peekID returns the "id" of a model entry, or "" if it has none or is not an object.
func peekID(raw json.RawMessage) string {
	var v struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	return v.ID
}

// decodeModel decodes raw over a copy of base (nil for a new model), refusing unknown
// fields, and fills in the defaults of fields left empty.
func decodeModel(raw json.RawMessage, base *Model) (*Model, error) {
	m := &Model{}
	if base != nil {
		m = base.clone()
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(m); err != nil {
		return nil, err
	}
	if base != nil && m.ID != base.ID {
		return nil, fmt.Errorf("\"id\" changed from %s to %s", quote(base.ID), quote(m.ID))
	}
	if len(m.Input) == 0 {
		m.Input = []Modality{Text}
	}
	if m.MaxTokensError == "" {
		m.MaxTokensError = LevelBedrock
	}
	if m.Conversation.LastAssistant == "" {
		m.Conversation.LastAssistant = LastAssistantAllowed
	}
	if m.Conversation.BlankText == "" {
		m.Conversation.BlankText = BlankTextBedrock
	}
	return m, nil
}

// check validates a decoded model; invocable is false for the generic model, which is
// reached through no ID of its own.
func (m *Model) check(invocable bool) error {
	if invocable {
		if err := checkModelID(m.ID); err != nil {
			return err
		}
	}
	if m.Provider == "" {
		return errors.New("no \"provider\"")
	}
	if m.Name == "" {
		return errors.New("no \"name\"")
	}
	if !m.Accepts(Text) {
		return errors.New("\"input\" must include \"text\"")
	}
	for _, k := range m.Input {
		switch k {
		case Text, Image, Document, Video, Audio:
		default:
			return fmt.Errorf("unknown modality %s in \"input\"", quote(string(k)))
		}
	}
	if m.MaxOutputTokens < 0 || m.MaxTokensLimit < 0 || m.ContextWindow < 0 {
		return errors.New("token counts must not be negative")
	}
	switch m.MaxTokensError {
	case LevelBedrock, LevelModel:
	default:
		return fmt.Errorf("unknown \"maxTokensError\" %s (want bedrock or model)", quote(string(m.MaxTokensError)))
	}
	s := m.Supports
	if s.StreamingToolUse && !s.ToolUse {
		return errors.New("\"streamingToolUse\" needs \"toolUse\"")
	}
	if (s.ToolChoiceAny || s.ToolChoiceTool) && !s.ToolUse {
		return errors.New("\"toolChoiceAny\" and \"toolChoiceTool\" need \"toolUse\"")
	}
	for i, p := range m.Profiles {
		if !validPrefix(p) {
			return fmt.Errorf("bad profile prefix %s (want lowercase letters and hyphens, like \"us\" or \"us-gov\")", quote(p))
		}
		if slices.Contains(m.Profiles[:i], p) {
			return fmt.Errorf("profile prefix %s listed twice", quote(p))
		}
	}
	if invocable && !m.OnDemand && len(m.Profiles) == 0 {
		return errors.New("neither \"onDemand\" nor any \"profiles\": the model could not be invoked")
	}
	switch m.Conversation.LastAssistant {
	case LastAssistantAllowed, LastAssistantNoToolPrefill, LastAssistantNoPrefill, LastAssistantUserRequired:
	default:
		return fmt.Errorf("unknown \"lastAssistant\" %s (want allowed, noToolPrefill, noPrefill or userRequired)", quote(string(m.Conversation.LastAssistant)))
	}
	switch m.Conversation.BlankText {
	case BlankTextBedrock, BlankTextAnthropic:
	default:
		return fmt.Errorf("unknown \"blankText\" %s (want bedrock or anthropic)", quote(string(m.Conversation.BlankText)))
	}
	for _, p := range m.Inference.Unsupported {
		switch p {
		case "temperature", "topP", "stopSequences":
		default:
			return fmt.Errorf("unknown inferenceConfig member %s in \"unsupported\" (want temperature, topP or stopSequences)", quote(p))
		}
	}
	return nil
}

// checkModelID checks that id can be a foundation-model ID: provider "." name, in the
// characters Bedrock's ConversationalModelId pattern allows for one.
func checkModelID(id string) error {
	provider, name, ok := strings.Cut(id, ".")
	if !ok || provider == "" || name == "" {
		return fmt.Errorf("bad \"id\" %s (want provider.name, like \"anthropic.claude-3-haiku-20240307-v1:0\")", quote(id))
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == ':') {
			return fmt.Errorf("bad \"id\" %s: only lowercase letters, digits, '-', '.' and ':' are allowed", quote(id))
		}
	}
	return nil
}

// validPrefix reports whether p can be a geography prefix: lowercase letters and inner
// hyphens.
func validPrefix(p string) bool {
	if p == "" || p[0] == '-' || p[len(p)-1] == '-' {
		return false
	}
	for i := 0; i < len(p); i++ {
		if !(p[i] >= 'a' && p[i] <= 'z' || p[i] == '-') {
			return false
		}
	}
	return true
}

// buildIndex maps every foundation-model ID and inference-profile ID to its model.
func (c *Catalog) buildIndex() error {
	c.index = make(map[string]entry, len(c.models)*4)
	add := func(key string, e entry) error {
		if prev, ok := c.index[key]; ok {
			return fmt.Errorf("identifier %s names both %s and %s", quote(key), quote(prev.model.ID), quote(e.model.ID))
		}
		c.index[key] = e
		return nil
	}
	for _, m := range c.Models() {
		if err := add(m.ID, entry{model: m}); err != nil {
			return err
		}
		for _, p := range m.Profiles {
			if err := add(p+"."+m.ID, entry{model: m, prefix: p}); err != nil {
				return err
			}
		}
	}
	return nil
}

// buildAliases checks every alias and resolves its target once.
func (c *Catalog) buildAliases() error {
	c.aliases = make(map[string]*Model, len(c.alias))
	for _, arn := range slices.Sorted(maps.Keys(c.alias)) {
		target := c.alias[arn]
		a, ok := parseARN(arn)
		if !ok {
			return fmt.Errorf("aliases: %s is not a Bedrock ARN Converse accepts", quote(arn))
		}
		if k := a.kind; k == KindFoundationModel || k == KindInferenceProfile {
			return fmt.Errorf("aliases: %s is a %s ARN; those resolve from their text and cannot be aliased", quote(arn), k)
		}
		e, ok := c.index[target]
		if !ok {
			return fmt.Errorf("aliases: %s maps to %s, which is no model or inference-profile ID in the catalogue", quote(arn), quote(target))
		}
		c.aliases[arn] = e.model
	}
	return nil
}
