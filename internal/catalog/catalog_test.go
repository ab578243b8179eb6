package catalog_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/internal/catalog"
	"github.com/google/go-cmp/cmp"
)

// seedModels are the models the seed documents call on demand (aws-samples/amazon-bedrock-samples
// introduction-to-bedrock/bedrock_apis/01_converse_api.ipynb and the "Getting started with the
// Amazon Bedrock Converse API" walkthroughs); their flows must work unchanged.
var seedModels = []string{
	"amazon.titan-text-express-v1",
	"amazon.titan-text-lite-v1",
	"anthropic.claude-3-5-sonnet-20240620-v1:0",
	"anthropic.claude-3-haiku-20240307-v1:0",
	"anthropic.claude-3-sonnet-20240229-v1:0",
	"cohere.command-r-plus-v1:0",
	"cohere.command-r-v1:0",
	"meta.llama3-1-70b-instruct-v1:0",
	"meta.llama3-1-8b-instruct-v1:0",
	"mistral.mistral-large-2407-v1:0",
	"mistral.mixtral-8x7b-instruct-v0:1",
}

func TestSeedModels(t *testing.T) {
	t.Parallel()
	c := catalog.Default()
	for _, id := range seedModels {
		t.Run(id, func(t *testing.T) {
			t.Parallel()
			r, err := c.Resolve(id)
			if err != nil {
				t.Fatalf("Resolve(%q): %v", id, err)
			}
			if r.Kind != catalog.KindFoundationModel || r.Generic {
				t.Errorf("Resolve(%q) = %+v, want the foundation model on demand", id, summarize(r))
			}
			// The notebook (seed 002) sends temperature, topP and maxTokens 2000 to each.
			m := r.Model
			if len(m.Inference.Unsupported) > 0 || m.Inference.TemperatureXorTopP {
				t.Errorf("%s rejects the seed's temperature + topP: %+v", id, m.Inference)
			}
			if l := m.TokenLimit(); l != 0 && l < 2000 {
				t.Errorf("%s token limit %d is below the seed's maxTokens 2000", id, l)
			}
		})
	}
}

// TestModelFacts pins the facts docs/wire-facts.md and the catalogue's sources
// state about particular models.
func TestModelFacts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id     string
		reason string
		got    func(*catalog.Model) any
		want   any
	}{
		{"anthropic.claude-3-5-sonnet-20240620-v1:0", "seed 002 sends an image and a system prompt",
			func(m *catalog.Model) any { return []bool{m.Accepts(catalog.Image), m.Supports.System} }, []bool{true, true}},
		{"anthropic.claude-3-sonnet-20240229-v1:0", "seeds 001/003 send an image and a system prompt",
			func(m *catalog.Model) any { return []bool{m.Accepts(catalog.Image), m.Supports.System} }, []bool{true, true}},
		{"anthropic.claude-haiku-4-5-20251001-v1:0", "recorded 2026: serverToolUsage and cache zeros (docs/wire-facts.md §8)",
			func(m *catalog.Model) any { return m.Usage }, catalog.UsageKeys{ServerToolUsage: true, CacheZeros: true}},
		{"anthropic.claude-sonnet-4-6", "recorded 2026: serverToolUsage and cache zeros",
			func(m *catalog.Model) any { return m.Usage }, catalog.UsageKeys{ServerToolUsage: true, CacheZeros: true}},
		{"amazon.nova-2-lite-v1:0", "recorded 2026: serverToolUsage, no cache zeros",
			func(m *catalog.Model) any { return m.Usage }, catalog.UsageKeys{ServerToolUsage: true}},
		{"anthropic.claude-3-haiku-20240307-v1:0", "recorded 2026: serverToolUsage, no cache zeros",
			func(m *catalog.Model) any { return m.Usage }, catalog.UsageKeys{ServerToolUsage: true}},
		{"meta.llama3-1-8b-instruct-v1:0", "seed 002 sends a PDF document",
			func(m *catalog.Model) any { return m.Accepts(catalog.Document) }, true},
		{"anthropic.claude-sonnet-4-5-20250929-v1:0", "recorded 200 for an assistant-first conversation",
			func(m *catalog.Model) any { return m.Conversation.AssistantFirst }, true},
		{"anthropic.claude-3-5-sonnet-20240620-v1:0", "langgenius/dify#12340: must start with a user message",
			func(m *catalog.Model) any { return m.Conversation.AssistantFirst }, false},
		{"meta.llama3-8b-instruct-v1:0", "epam tests: must start with a user message",
			func(m *catalog.Model) any { return m.Conversation.AssistantFirst }, false},
		{"anthropic.claude-3-haiku-20240307-v1:0", "Claude 3.x: prefill rejected only with tools",
			func(m *catalog.Model) any { return m.Conversation.LastAssistant }, catalog.LastAssistantNoToolPrefill},
		{"anthropic.claude-sonnet-4-6", "Claude 4.6: no prefill",
			func(m *catalog.Model) any { return m.Conversation.LastAssistant }, catalog.LastAssistantNoPrefill},
		{"anthropic.claude-opus-4-6-v1", "Claude 4.6: no prefill",
			func(m *catalog.Model) any { return m.Conversation.LastAssistant }, catalog.LastAssistantNoPrefill},
		{"meta.llama3-1-70b-instruct-v1:0", "Llama: last turn must be a user message",
			func(m *catalog.Model) any { return m.Conversation.LastAssistant }, catalog.LastAssistantUserRequired},
		{"anthropic.claude-3-haiku-20240307-v1:0", "Anthropic's blank-text message",
			func(m *catalog.Model) any { return m.Conversation.BlankText }, catalog.BlankTextAnthropic},
		{"amazon.nova-pro-v1:0", "Bedrock's blank-text message",
			func(m *catalog.Model) any { return m.Conversation.BlankText }, catalog.BlankTextBedrock},
		{"amazon.nova-pro-v1:0", "recorded: toolResult + text + document in one turn accepted",
			func(m *catalog.Model) any { return m.Conversation.MixedToolTurns }, true},
		{"meta.llama4-maverick-17b-instruct-v1:0", "strands-agents/harness-sdk#1223",
			func(m *catalog.Model) any { return m.Conversation.MixedToolTurns }, false},
		{"mistral.mistral-large-2407-v1:0", "Mistral rejects mixed turns",
			func(m *catalog.Model) any { return m.Conversation.MixedToolTurns }, false},
		{"mistral.mixtral-8x7b-instruct-v0:1", "567-labs/instructor#1753: no system messages",
			func(m *catalog.Model) any { return m.Supports.System }, false},
		{"mistral.mistral-7b-instruct-v0:2", "567-labs/instructor#1753: no system messages",
			func(m *catalog.Model) any { return m.Supports.System }, false},
		{"deepseek.r1-v1:0", "langchain-ai/langchain-aws#447: no tool use",
			func(m *catalog.Model) any { return m.Supports.ToolUse }, false},
		{"meta.llama4-scout-17b-instruct-v1:0", "earendil-works/pi#3739: tools, not in streaming",
			func(m *catalog.Model) any { return []bool{m.Supports.ToolUse, m.Supports.StreamingToolUse} }, []bool{true, false}},
		{"anthropic.claude-sonnet-4-5-20250929-v1:0", "BerriAI/litellm#15070: temperature xor top_p",
			func(m *catalog.Model) any { return m.Inference.TemperatureXorTopP }, true},
		{"anthropic.claude-sonnet-4-5-20250929-v1:0", "model-level maxTokens error, limit of 200000",
			func(m *catalog.Model) any { return []any{m.MaxTokensError, m.TokenLimit()} }, []any{catalog.LevelModel, 200000}},
		{"anthropic.claude-3-5-sonnet-20240620-v1:0", "vercel/ai#2772: limit of 4096, Bedrock's message",
			func(m *catalog.Model) any { return []any{m.MaxTokensError, m.TokenLimit()} }, []any{catalog.LevelBedrock, 4096}},
		{"meta.llama3-1-70b-instruct-v1:0", "aws-samples/bedrock-access-gateway#41: limit of 2048",
			func(m *catalog.Model) any { return m.TokenLimit() }, 2048},
		{"amazon.titan-text-premier-v1:0", "aws-samples/generative-ai-use-cases#594: limit of 3000",
			func(m *catalog.Model) any { return m.TokenLimit() }, 3000},
		{"amazon.nova-micro-v1:0", "no vision, no documents",
			func(m *catalog.Model) any { return m.Input }, []catalog.Modality{catalog.Text}},
		{"anthropic.claude-sonnet-4-5-20250929-v1:0", "recorded: no video, no s3Uri for Claude",
			func(m *catalog.Model) any { return []bool{m.Accepts(catalog.Video), m.S3Sources} }, []bool{false, false}},
		{"amazon.titan-text-express-v1", "Titan: no system prompt, no tools",
			func(m *catalog.Model) any { return []bool{m.Supports.System, m.Supports.ToolUse} }, []bool{false, false}},
	}
	c := catalog.Default()
	for _, tt := range tests {
		t.Run(tt.id+"/"+tt.reason, func(t *testing.T) {
			t.Parallel()
			m, ok := c.Lookup(tt.id)
			if !ok {
				t.Fatalf("no model %q", tt.id)
			}
			if diff := cmp.Diff(tt.want, tt.got(m)); diff != "" {
				t.Errorf("%s (%s) mismatch (-want +got):\n%s", tt.id, tt.reason, diff)
			}
		})
	}
}

// TestOnDemand pins which models need an inference profile.
func TestOnDemand(t *testing.T) {
	t.Parallel()
	var got []string
	for _, m := range catalog.Default().Models() {
		if !m.OnDemand {
			got = append(got, m.ID)
		}
	}
	want := []string{
		"amazon.nova-2-lite-v1:0",
		"amazon.nova-premier-v1:0",
		"anthropic.claude-3-7-sonnet-20250219-v1:0",
		"anthropic.claude-haiku-4-5-20251001-v1:0",
		"anthropic.claude-opus-4-1-20250805-v1:0",
		"anthropic.claude-opus-4-20250514-v1:0",
		"anthropic.claude-opus-4-5-20251101-v1:0",
		"anthropic.claude-opus-4-6-v1",
		"anthropic.claude-sonnet-4-20250514-v1:0",
		"anthropic.claude-sonnet-4-5-20250929-v1:0",
		"anthropic.claude-sonnet-4-6",
		"deepseek.r1-v1:0",
		"meta.llama3-2-11b-instruct-v1:0",
		"meta.llama3-2-3b-instruct-v1:0",
		"meta.llama3-2-90b-instruct-v1:0",
		"meta.llama3-3-70b-instruct-v1:0",
		"meta.llama4-maverick-17b-instruct-v1:0",
		"meta.llama4-scout-17b-instruct-v1:0",
		"mistral.pixtral-large-2502-v1:0",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("models that need a profile (-want +got):\n%s", diff)
	}
}

func TestDefaultIsTheEmbeddedFile(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("models.json")
	if err != nil {
		t.Fatal(err)
	}
	c, err := catalog.Load(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Load(models.json): %v", err)
	}
	if diff := cmp.Diff(catalog.Default().Models(), c.Models()); diff != "" {
		t.Errorf("Default differs from models.json (-Default +file):\n%s", diff)
	}
	if len(c.Sources()) == 0 {
		t.Error("models.json has no sources")
	}
	if g := c.Generic(); g == nil || g.MaxOutputTokens != 0 || !g.Conversation.AssistantFirst {
		t.Errorf("generic model = %+v, want a permissive one", g)
	}
	ids := make([]string, 0, len(c.Models()))
	for _, m := range c.Models() {
		ids = append(ids, m.ID)
	}
	if !slices.IsSorted(ids) {
		t.Errorf("Models() not sorted by ID: %v", ids)
	}
}

func TestMergeFile(t *testing.T) {
	t.Parallel()
	base := catalog.Default()
	haiku, _ := base.Lookup("anthropic.claude-3-haiku-20240307-v1:0")
	before := *haiku
	c, err := base.MergeFile(filepath.Join("testdata", "user.json"))
	if err != nil {
		t.Fatalf("MergeFile: %v", err)
	}

	// The override changes only the fields it sets.
	got, _ := c.Lookup(haiku.ID)
	want := before
	want.MaxOutputTokens = 1000
	want.Profiles = []string{"us"}
	if diff := cmp.Diff(&want, got); diff != "" {
		t.Errorf("overridden model mismatch (-want +got):\n%s", diff)
	}
	// The base catalogue is left alone.
	if diff := cmp.Diff(&before, haiku); diff != "" {
		t.Errorf("Merge changed the base catalogue's model (-before +after):\n%s", diff)
	}
	if _, err := base.Resolve("acme.house-model-v1"); !errors.Is(err, catalog.ErrInvalidModel) {
		t.Errorf("base catalogue resolves the user's model: %v", err)
	}
	if _, err := c.Resolve("eu." + haiku.ID); !errors.Is(err, catalog.ErrInvalidModel) {
		t.Errorf("the overridden profiles still offer eu: %v", err)
	}

	tests := []struct {
		id   string
		want resolved
	}{{
		id:   "acme.house-model-v1",
		want: resolved{Kind: catalog.KindFoundationModel, Model: "acme.house-model-v1", Resource: "acme.house-model-v1"},
	}, {
		id:   "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/1arbu5hu2sjr",
		want: resolved{Kind: catalog.KindApplicationInferenceProfile, Model: haiku.ID, Aliased: true, Partition: "aws", Region: "us-east-1", Account: "123456789012", Resource: "1arbu5hu2sjr"},
	}, {
		id:   "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdef123456",
		want: resolved{Kind: catalog.KindProvisionedModel, Model: "acme.house-model-v1", Aliased: true, Partition: "aws", Region: "us-east-1", Account: "123456789012", Resource: "abcdef123456"},
	}, {
		id:   "arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT12AB:7",
		want: resolved{Kind: catalog.KindPrompt, Model: "amazon.nova-micro-v1:0", Aliased: true, Partition: "aws", Region: "us-east-1", Account: "123456789012", Resource: "PROMPT12AB", Version: "7"},
	}, {
		id:   "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/zzzzzzzzzzzz",
		want: resolved{Kind: catalog.KindApplicationInferenceProfile, Model: generic, Generic: true, Partition: "aws", Region: "us-east-1", Account: "123456789012", Resource: "zzzzzzzzzzzz"},
	}}
	for _, tt := range tests {
		r, err := c.Resolve(tt.id)
		if err != nil {
			t.Errorf("Resolve(%q): %v", tt.id, err)
			continue
		}
		if diff := cmp.Diff(tt.want, summarize(r)); diff != "" {
			t.Errorf("Resolve(%q) mismatch (-want +got):\n%s", tt.id, diff)
		}
	}
	if got := c.Generic().MaxOutputTokens; got != 1234 {
		t.Errorf("generic maxOutputTokens = %d, want the user's 1234", got)
	}
	if m, _ := c.Lookup("acme.house-model-v1"); m.Conversation.LastAssistant != catalog.LastAssistantAllowed || m.Conversation.BlankText != catalog.BlankTextBedrock {
		t.Errorf("new model's defaults = %+v", m.Conversation)
	}
}

func TestMergeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		want string // in the error message
	}{
		{"not JSON", `{`, "unexpected EOF"},
		{"trailing data", `{} {}`, "data after the top-level object"},
		{"unknown top-level field", `{"model": []}`, `unknown field "model"`},
		{"wrong version", `{"version": 2}`, `"version" is 2`},
		{"entry not an object", `{"models": [1]}`, `models[0]: no "id"`},
		{"entry without id", `{"models": [{"name": "x"}]}`, `models[0]: no "id"`},
		{"unknown model field", `{"models": [{"id": "acme.x-v1", "provider": "acme", "name": "X", "onDemand": true, "maxTokens": 5}]}`,
			`models[0] "acme.x-v1": json: unknown field "maxTokens"`},
		{"unknown field in an override", `{"models": [{"id": "amazon.titan-text-lite-v1", "supports": {"vision": true}}]}`,
			`models[0] "amazon.titan-text-lite-v1": json: unknown field "vision"`},
		{"wrong type", `{"models": [{"id": "amazon.titan-text-lite-v1", "onDemand": "yes"}]}`, `models[0] "amazon.titan-text-lite-v1": json: cannot unmarshal`},
		{"twice in one file", `{"models": [{"id": "amazon.titan-text-lite-v1"}, {"id": "amazon.titan-text-lite-v1"}]}`, `models[1] "amazon.titan-text-lite-v1": the file lists this id twice`},
		{"new model without provider", `{"models": [{"id": "acme.x-v1", "name": "X", "onDemand": true}]}`, `models[0] "acme.x-v1": no "provider"`},
		{"bad id", `{"models": [{"id": "Acme X", "provider": "acme", "name": "X", "onDemand": true}]}`, `models[0] "Acme X": bad "id"`},
		{"uninvocable", `{"models": [{"id": "acme.x-v1", "provider": "acme", "name": "X"}]}`, `models[0] "acme.x-v1": neither "onDemand" nor any "profiles"`},
		{"unknown modality", `{"models": [{"id": "amazon.titan-text-lite-v1", "input": ["text", "smell"]}]}`, `unknown modality "smell"`},
		{"no text", `{"models": [{"id": "amazon.titan-text-lite-v1", "input": ["image"]}]}`, `"input" must include "text"`},
		{"bad lastAssistant", `{"models": [{"id": "amazon.titan-text-lite-v1", "conversation": {"lastAssistant": "never"}}]}`, `unknown "lastAssistant" "never"`},
		{"bad blankText", `{"models": [{"id": "amazon.titan-text-lite-v1", "conversation": {"blankText": "nova"}}]}`, `unknown "blankText" "nova"`},
		{"bad maxTokensError", `{"models": [{"id": "amazon.titan-text-lite-v1", "maxTokensError": "provider"}]}`, `unknown "maxTokensError" "provider"`},
		{"bad parameter", `{"models": [{"id": "amazon.titan-text-lite-v1", "inference": {"unsupported": ["top_p"]}}]}`, `unknown inferenceConfig member "top_p"`},
		{"streaming tools without tools", `{"models": [{"id": "amazon.titan-text-lite-v1", "supports": {"streamingToolUse": true}}]}`, `"streamingToolUse" needs "toolUse"`},
		{"tool choice without tools", `{"models": [{"id": "amazon.titan-text-lite-v1", "supports": {"toolChoiceAny": true}}]}`, `need "toolUse"`},
		{"bad prefix", `{"models": [{"id": "amazon.titan-text-lite-v1", "profiles": ["US"]}]}`, `bad profile prefix "US"`},
		{"prefix twice", `{"models": [{"id": "amazon.titan-text-lite-v1", "profiles": ["us", "us"]}]}`, `profile prefix "us" listed twice`},
		{"negative tokens", `{"models": [{"id": "amazon.titan-text-lite-v1", "maxOutputTokens": -1}]}`, `must not be negative`},
		{"id that is a profile ID", `{"models": [{"id": "us.anthropic.claude-3-haiku-20240307-v1:0", "provider": "us", "name": "X", "onDemand": true}]}`, `names both`},
		{"alias to unknown model", `{"aliases": {"arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abcdef123456": "acme.nothing-v1"}}`, `maps to "acme.nothing-v1", which is no model`},
		{"alias of a bare ID", `{"aliases": {"my-model": "amazon.titan-text-lite-v1"}}`, `"my-model" is not a Bedrock ARN`},
		{"alias of a foundation-model ARN", `{"aliases": {"arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-lite-v1": "amazon.titan-text-lite-v1"}}`, `cannot be aliased`},
		{"alias of a malformed ARN", `{"aliases": {"arn:aws:bedrock:us-east-1:123456789012:provisioned-model/ABC": "amazon.titan-text-lite-v1"}}`, `is not a Bedrock ARN`},
		{"bad generic", `{"generic": {"conversation": {"lastAssistant": "x"}}}`, `generic: unknown "lastAssistant"`},
	}
	base := catalog.Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := base.Merge(strings.NewReader(tt.file))
			if err == nil {
				t.Fatalf("Merge(%s) = %v, want an error", tt.file, c)
			}
			if !errors.Is(err, catalog.ErrInvalidFile) {
				t.Errorf("Merge error %v does not match ErrInvalidFile", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Merge error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, want string
	}{
		{"no version", `{"generic": {"provider": "e", "name": "G"}}`, `"version" is 0, want 1`},
		{"no generic", `{"version": 1}`, `no "generic" model`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := catalog.Load(strings.NewReader(tt.file))
			if !errors.Is(err, catalog.ErrInvalidFile) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load error = %v, want ErrInvalidFile containing %q", err, tt.want)
			}
		})
	}
	if _, err := catalog.LoadFile(filepath.Join("testdata", "missing.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadFile(missing) error = %v, want os.ErrNotExist", err)
	}
}

func TestLoadFile(t *testing.T) {
	t.Parallel()
	c, err := catalog.LoadFile(filepath.Join("testdata", "user.json"))
	if err != nil {
		t.Fatalf("LoadFile: %v", err)
	}
	// The built-in models are there, and the user's model is added.
	for _, id := range append(slices.Clone(seedModels), "acme.house-model-v1") {
		if _, err := c.Resolve(id); err != nil {
			t.Errorf("Resolve(%q): %v", id, err)
		}
	}
}

func TestMinimalLoad(t *testing.T) {
	t.Parallel()
	c, err := catalog.Load(strings.NewReader(`{
		"version": 1,
		"generic": {"provider": "emulator", "name": "Generic"},
		"models": [{"id": "acme.x-v1", "provider": "acme", "name": "X", "profiles": ["us"]}]
	}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Resolve("acme.x-v1"); !errors.Is(err, catalog.ErrNeedsProfile) {
		t.Errorf("Resolve(acme.x-v1) error = %v, want ErrNeedsProfile", err)
	}
	r, err := c.Resolve("us.acme.x-v1")
	if err != nil || r.Model.ID != "acme.x-v1" {
		t.Errorf("Resolve(us.acme.x-v1) = %+v, %v", summarize(r), err)
	}
	if diff := cmp.Diff([]catalog.Modality{catalog.Text}, r.Model.Input); diff != "" {
		t.Errorf("default input mismatch (-want +got):\n%s", diff)
	}
}
