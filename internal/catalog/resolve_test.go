package catalog_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/internal/catalog"
	"github.com/google/go-cmp/cmp"
)

// resolved is a Resolution with the model reduced to its ID, for cmp.Diff.
type resolved struct {
	Kind                       catalog.Kind
	Model                      string
	Generic, Aliased           bool
	Profile                    string
	Partition, Region, Account string
	Resource, Version          string
}

func summarize(r catalog.Resolution) resolved {
	s := resolved{
		Kind: r.Kind, Generic: r.Generic, Aliased: r.Aliased, Profile: r.Profile,
		Partition: r.Partition, Region: r.Region, Account: r.Account, Resource: r.Resource, Version: r.Version,
	}
	if r.Model != nil {
		s.Model = r.Model.ID
	}
	return s
}

const generic = "emulator.generic"

func TestResolve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		reason string
		id     string
		want   resolved
	}{{
		name:   "foundation model ID",
		reason: "a seed model, invoked on demand",
		id:     "anthropic.claude-3-haiku-20240307-v1:0",
		want:   resolved{Kind: catalog.KindFoundationModel, Model: "anthropic.claude-3-haiku-20240307-v1:0", Resource: "anthropic.claude-3-haiku-20240307-v1:0"},
	}, {
		name:   "us profile",
		reason: "cross-Region inference profile ID",
		id:     "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
		want:   resolved{Kind: catalog.KindInferenceProfile, Model: "anthropic.claude-3-5-sonnet-20241022-v2:0", Profile: "us", Resource: "us.anthropic.claude-3-5-sonnet-20241022-v2:0"},
	}, {
		name:   "global profile",
		reason: "global cross-Region inference profile ID",
		id:     "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
		want:   resolved{Kind: catalog.KindInferenceProfile, Model: "anthropic.claude-sonnet-4-5-20250929-v1:0", Profile: "global", Resource: "global.anthropic.claude-sonnet-4-5-20250929-v1:0"},
	}, {
		name:   "us-gov profile",
		reason: "a prefix with a hyphen",
		id:     "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0",
		want:   resolved{Kind: catalog.KindInferenceProfile, Model: "anthropic.claude-sonnet-4-5-20250929-v1:0", Profile: "us-gov", Resource: "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0"},
	}, {
		name:   "recorded Sonnet 4.6 profile",
		reason: "crewAI cassettes call us.anthropic.claude-sonnet-4-6",
		id:     "us.anthropic.claude-sonnet-4-6",
		want:   resolved{Kind: catalog.KindInferenceProfile, Model: "anthropic.claude-sonnet-4-6", Profile: "us", Resource: "us.anthropic.claude-sonnet-4-6"},
	}, {
		name:   "recorded Nova 2 Lite profile",
		reason: "pydantic-ai cassettes call us.amazon.nova-2-lite-v1:0",
		id:     "us.amazon.nova-2-lite-v1:0",
		want:   resolved{Kind: catalog.KindInferenceProfile, Model: "amazon.nova-2-lite-v1:0", Profile: "us", Resource: "us.amazon.nova-2-lite-v1:0"},
	}, {
		name:   "recorded gpt-oss direct",
		reason: "pydantic-ai recorded openai.gpt-oss-120b-1:0 invoked directly",
		id:     "openai.gpt-oss-120b-1:0",
		want:   resolved{Kind: catalog.KindFoundationModel, Model: "openai.gpt-oss-120b-1:0", Resource: "openai.gpt-oss-120b-1:0"},
	}, {
		name:   "recorded Llama 3.2 1B direct",
		reason: "openllmetry recorded a 200 for the bare ID in us-east-1",
		id:     "meta.llama3-2-1b-instruct-v1:0",
		want:   resolved{Kind: catalog.KindFoundationModel, Model: "meta.llama3-2-1b-instruct-v1:0", Resource: "meta.llama3-2-1b-instruct-v1:0"},
	}, {
		name:   "foundation-model ARN",
		reason: "foundation-model ARNs have an empty account",
		id:     "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
		want:   resolved{Kind: catalog.KindFoundationModel, Model: "anthropic.claude-3-haiku-20240307-v1:0", Partition: "aws", Region: "us-east-1", Resource: "anthropic.claude-3-haiku-20240307-v1:0"},
	}, {
		name:   "foundation-model ARN in aws-cn",
		reason: "other partitions",
		id:     "arn:aws-cn:bedrock:cn-northwest-1::foundation-model/amazon.titan-text-express-v1",
		want:   resolved{Kind: catalog.KindFoundationModel, Model: "amazon.titan-text-express-v1", Partition: "aws-cn", Region: "cn-northwest-1", Resource: "amazon.titan-text-express-v1"},
	}, {
		name:   "inference-profile ARN",
		reason: "the form openllmetry recorded (test_anthropic_cross_region.yaml)",
		id:     "arn:aws:bedrock:us-east-1:012345678901:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0",
		want:   resolved{Kind: catalog.KindInferenceProfile, Model: "anthropic.claude-3-7-sonnet-20250219-v1:0", Profile: "us", Partition: "aws", Region: "us-east-1", Account: "012345678901", Resource: "us.anthropic.claude-3-7-sonnet-20250219-v1:0"},
	}, {
		name:   "inference-profile ARN in aws-us-gov",
		reason: "GovCloud partition and profile",
		id:     "arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:inference-profile/us-gov.anthropic.claude-3-5-sonnet-20240620-v1:0",
		want:   resolved{Kind: catalog.KindInferenceProfile, Model: "anthropic.claude-3-5-sonnet-20240620-v1:0", Profile: "us-gov", Partition: "aws-us-gov", Region: "us-gov-west-1", Account: "123456789012", Resource: "us-gov.anthropic.claude-3-5-sonnet-20240620-v1:0"},
	}, {
		name:   "application-inference-profile ARN",
		reason: "the form dd-trace-py recorded; no alias, so the generic model answers",
		id:     "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/1arbu5hu2sjr",
		want:   resolved{Kind: catalog.KindApplicationInferenceProfile, Model: generic, Generic: true, Partition: "aws", Region: "us-east-1", Account: "123456789012", Resource: "1arbu5hu2sjr"},
	}, {
		name:   "provisioned-model ARN",
		reason: "opaque, generic",
		id:     "arn:aws:bedrock:eu-west-1:123456789012:provisioned-model/abcdef123456",
		want:   resolved{Kind: catalog.KindProvisionedModel, Model: generic, Generic: true, Partition: "aws", Region: "eu-west-1", Account: "123456789012", Resource: "abcdef123456"},
	}, {
		name:   "custom-model ARN",
		reason: "the base model is in the ARN, with its context-length variant",
		id:     "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdef123456",
		want:   resolved{Kind: catalog.KindCustomModel, Model: "amazon.titan-text-express-v1", Partition: "aws", Region: "us-east-1", Account: "123456789012", Resource: "amazon.titan-text-express-v1:0:8k/abcdef123456"},
	}, {
		name:   "custom-model ARN of an unknown base",
		reason: "generic when the base is not in the catalogue",
		id:     "arn:aws:bedrock:us-east-1:123456789012:custom-model/acme.house-v1/abcdef123456",
		want:   resolved{Kind: catalog.KindCustomModel, Model: generic, Generic: true, Partition: "aws", Region: "us-east-1", Account: "123456789012", Resource: "acme.house-v1/abcdef123456"},
	}, {
		name:   "custom-model-deployment ARN",
		reason: "opaque, generic",
		id:     "arn:aws:bedrock:us-west-2:123456789012:custom-model-deployment/a1b2c3d4e5f6",
		want:   resolved{Kind: catalog.KindCustomModelDeployment, Model: generic, Generic: true, Partition: "aws", Region: "us-west-2", Account: "123456789012", Resource: "a1b2c3d4e5f6"},
	}, {
		name:   "imported-model ARN",
		reason: "opaque, generic",
		id:     "arn:aws:bedrock:us-east-1:123456789012:imported-model/abcdef123456",
		want:   resolved{Kind: catalog.KindImportedModel, Model: generic, Generic: true, Partition: "aws", Region: "us-east-1", Account: "123456789012", Resource: "abcdef123456"},
	}, {
		name:   "prompt ARN",
		reason: "Prompt management, no version",
		id:     "arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT12AB",
		want:   resolved{Kind: catalog.KindPrompt, Model: generic, Generic: true, Partition: "aws", Region: "us-east-1", Account: "123456789012", Resource: "PROMPT12AB"},
	}, {
		name:   "prompt version ARN",
		reason: "Prompt management, version 3",
		id:     "arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT12AB:3",
		want:   resolved{Kind: catalog.KindPrompt, Model: generic, Generic: true, Partition: "aws", Region: "us-east-1", Account: "123456789012", Resource: "PROMPT12AB", Version: "3"},
	}, {
		name:   "default prompt router ARN",
		reason: "prompt routers are in the ConversationalModelId pattern",
		id:     "arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1",
		want:   resolved{Kind: catalog.KindPromptRouter, Model: generic, Generic: true, Partition: "aws", Region: "us-east-1", Account: "123456789012", Resource: "anthropic.claude:1"},
	}, {
		name:   "SageMaker endpoint ARN",
		reason: "Marketplace models on SageMaker endpoints",
		id:     "arn:aws:sagemaker:us-east-1:123456789012:endpoint/my-endpoint",
		want:   resolved{Kind: catalog.KindSageMakerEndpoint, Model: generic, Generic: true, Partition: "aws", Region: "us-east-1", Account: "123456789012", Resource: "my-endpoint"},
	}}
	c := catalog.Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := c.Resolve(tt.id)
			if err != nil {
				t.Fatalf("Resolve(%q) error: %v (%s)", tt.id, err, tt.reason)
			}
			if diff := cmp.Diff(tt.want, summarize(r)); diff != "" {
				t.Errorf("Resolve(%q) mismatch (-want +got) (%s):\n%s", tt.id, tt.reason, diff)
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	t.Parallel()
	const needsProfile = "Invocation of model ID %s with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model."
	tests := []struct {
		name    string
		id      string
		wantErr error
		reason  string
	}{
		{"empty", "", catalog.ErrInvalidModel, "nothing to resolve"},
		{"recorded unknown", "does-not-exist", catalog.ErrInvalidModel, "opentelemetry-python-contrib recording"},
		{"recorded invalid", "invalid-model-id", catalog.ErrInvalidModel, "openinference recording"},
		{"recorded unknown profile", "us.does-not-exist-model-v1:0", catalog.ErrInvalidModel, "pydantic-ai recording"},
		{"profile the model lacks", "eu.meta.llama3-3-70b-instruct-v1:0", catalog.ErrInvalidModel, "Llama 3.3 has only a us profile"},
		{"eu profile of a us-only model", "eu.amazon.nova-premier-v1:0", catalog.ErrInvalidModel, "Nova Premier has only a us profile"},
		{"unknown prefix", "xx.anthropic.claude-3-haiku-20240307-v1:0", catalog.ErrInvalidModel, "no such geography"},
		{"double prefix", "us.us.anthropic.claude-3-haiku-20240307-v1:0", catalog.ErrInvalidModel, "prefixes do not stack"},
		{"upper case", "Anthropic.claude-3-haiku-20240307-v1:0", catalog.ErrInvalidModel, "IDs are lower case"},
		{"trailing space", "anthropic.claude-3-haiku-20240307-v1:0 ", catalog.ErrInvalidModel, "exact match"},
		{"needs profile", "anthropic.claude-3-7-sonnet-20250219-v1:0", catalog.ErrNeedsProfile, "docs/wire-facts.md §4"},
		{"needs profile, Claude 4.6", "anthropic.claude-sonnet-4-6", catalog.ErrNeedsProfile, "Claude 3.7 and later"},
		{"needs profile, Llama 3.2 90B", "meta.llama3-2-90b-instruct-v1:0", catalog.ErrNeedsProfile, "konveyor/kai#411"},
		{"needs profile, Nova 2 Lite", "amazon.nova-2-lite-v1:0", catalog.ErrNeedsProfile, "Nova 2"},
		{"needs profile, DeepSeek R1", "deepseek.r1-v1:0", catalog.ErrNeedsProfile, "DeepSeek R1"},
		{"needs profile, foundation-model ARN", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0", catalog.ErrNeedsProfile, "an ARN does not change the throughput"},
		{"foundation-model ARN with account", "arn:aws:bedrock:us-east-1:123456789012:foundation-model/anthropic.claude-3-haiku-20240307-v1:0", catalog.ErrInvalidModel, "foundation-model ARNs have no account"},
		{"foundation-model ARN of a profile", "arn:aws:bedrock:us-east-1::foundation-model/us.anthropic.claude-3-haiku-20240307-v1:0", catalog.ErrInvalidModel, "a profile is no foundation model"},
		{"foundation-model ARN of an unknown model", "arn:aws:bedrock:us-east-1::foundation-model/acme.nothing-v1", catalog.ErrInvalidModel, "unknown model"},
		{"inference-profile ARN without account", "arn:aws:bedrock:us-east-1::inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0", catalog.ErrInvalidModel, "account required"},
		{"inference-profile ARN of a foundation ID", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/anthropic.claude-3-haiku-20240307-v1:0", catalog.ErrInvalidModel, "not a profile ID"},
		{"inference-profile ARN, profile the model lacks", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.meta.llama3-3-70b-instruct-v1:0", catalog.ErrInvalidModel, "us only"},
		{"short account", "arn:aws:bedrock:us-east-1:12345:application-inference-profile/1arbu5hu2sjr", catalog.ErrInvalidModel, "12 digits"},
		{"no region", "arn:aws:bedrock::123456789012:application-inference-profile/1arbu5hu2sjr", catalog.ErrInvalidModel, "region required"},
		{"long region", "arn:aws:bedrock:us-east-1-and-a-lot-more:123456789012:provisioned-model/abcdef123456", catalog.ErrInvalidModel, "at most 20"},
		{"bad partition", "arn:amazon:bedrock:us-east-1:123456789012:provisioned-model/abcdef123456", catalog.ErrInvalidModel, "aws(-…)?"},
		{"other service", "arn:aws:s3:::bucket/key", catalog.ErrInvalidModel, "not bedrock"},
		{"unknown resource type", "arn:aws:bedrock:us-east-1:123456789012:guardrail/abcdef123456", catalog.ErrInvalidModel, "not a model"},
		{"no resource ID", "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile", catalog.ErrInvalidModel, "type/ID"},
		{"empty resource ID", "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/", catalog.ErrInvalidModel, "type/ID"},
		{"provisioned ID upper case", "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/ABCDEF123456", catalog.ErrInvalidModel, "[a-z0-9]{12}"},
		{"provisioned ID too short", "arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc", catalog.ErrInvalidModel, "[a-z0-9]{12}"},
		{"custom model without suffix", "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1", catalog.ErrInvalidModel, "base/suffix"},
		{"prompt ID too short", "arn:aws:bedrock:us-east-1:123456789012:prompt/SHORT", catalog.ErrInvalidModel, "10 characters"},
		{"prompt version too long", "arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT12AB:123456", catalog.ErrInvalidModel, "at most 5 digits"},
		{"prompt version empty", "arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT12AB:", catalog.ErrInvalidModel, "at least 1 digit"},
		{"SageMaker outside aws", "arn:aws-cn:sagemaker:cn-north-1:123456789012:endpoint/my-endpoint", catalog.ErrInvalidModel, "pattern allows arn:aws only"},
		{"truncated ARN", "arn:aws:bedrock", catalog.ErrInvalidModel, "too few parts"},
		{"just arn", "arn:", catalog.ErrInvalidModel, "too few parts"},
	}
	c := catalog.Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, err := c.Resolve(tt.id)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Resolve(%q) = %+v, %v; want error %v (%s)", tt.id, summarize(r), err, tt.wantErr, tt.reason)
			}
			if r.Model != nil {
				t.Errorf("Resolve(%q) returned model %s with an error", tt.id, r.Model.ID)
			}
			msg, ok := catalog.BedrockMessage(err)
			if !ok {
				t.Fatalf("BedrockMessage(%v) = _, false", err)
			}
			want := catalog.InvalidModelMessage
			if tt.wantErr == catalog.ErrNeedsProfile {
				want = fmt.Sprintf(needsProfile, tt.id)
			}
			if diff := cmp.Diff(want, msg); diff != "" {
				t.Errorf("BedrockMessage mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNeedsProfileError(t *testing.T) {
	t.Parallel()
	_, err := catalog.Default().Resolve("anthropic.claude-3-7-sonnet-20250219-v1:0")
	var np *catalog.NeedsProfileError
	if !errors.As(err, &np) {
		t.Fatalf("error %v is no *NeedsProfileError", err)
	}
	if diff := cmp.Diff([]string{"us", "eu", "apac"}, np.Model.Profiles); diff != "" {
		t.Errorf("profiles mismatch (-want +got):\n%s", diff)
	}
	// The exact recorded text (docs/wire-facts.md §4), with U+2019 in "isn’t".
	const want = "Invocation of model ID anthropic.claude-3-7-sonnet-20250219-v1:0 with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model."
	if got, _ := catalog.BedrockMessage(err); got != want {
		t.Errorf("BedrockMessage = %q, want %q", got, want)
	}
	if _, ok := catalog.BedrockMessage(errors.New("other")); ok {
		t.Error("BedrockMessage(other error) reported a Bedrock message")
	}
}

// TestEveryModelResolves checks every model and profile in the built-in catalogue, bare
// and as an ARN.
func TestEveryModelResolves(t *testing.T) {
	t.Parallel()
	c := catalog.Default()
	for _, m := range c.Models() {
		t.Run(m.ID, func(t *testing.T) {
			t.Parallel()
			for _, id := range []string{m.ID, "arn:aws:bedrock:us-west-2::foundation-model/" + m.ID} {
				r, err := c.Resolve(id)
				switch {
				case m.OnDemand && (err != nil || r.Model != m || r.Kind != catalog.KindFoundationModel):
					t.Errorf("Resolve(%q) = %+v, %v; want the model on demand", id, summarize(r), err)
				case !m.OnDemand && !errors.Is(err, catalog.ErrNeedsProfile):
					t.Errorf("Resolve(%q) error = %v, want ErrNeedsProfile", id, err)
				}
			}
			for _, p := range m.Profiles {
				for _, id := range []string{p + "." + m.ID, "arn:aws:bedrock:us-west-2:123456789012:inference-profile/" + p + "." + m.ID} {
					r, err := c.Resolve(id)
					if err != nil || r.Model != m || r.Profile != p || r.Kind != catalog.KindInferenceProfile {
						t.Errorf("Resolve(%q) = %+v, %v; want the model through profile %s", id, summarize(r), err, p)
					}
				}
			}
		})
	}
}

// TestResolveAllocs checks that resolution is a lookup: no allocation on success.
func TestResolveAllocs(t *testing.T) {
	c := catalog.Default()
	for _, id := range []string{
		"anthropic.claude-3-haiku-20240307-v1:0",
		"global.anthropic.claude-sonnet-4-5-20250929-v1:0",
		"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
		"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0",
		"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/1arbu5hu2sjr",
		"arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT12AB:3",
	} {
		if n := testing.AllocsPerRun(100, func() {
			if _, err := c.Resolve(id); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("Resolve(%q) allocates %v times, want 0", id, n)
		}
	}
}

func BenchmarkResolve(b *testing.B) {
	c := catalog.Default()
	for _, bm := range []struct{ name, id string }{
		{"ID", "anthropic.claude-3-haiku-20240307-v1:0"},
		{"Profile", "us.anthropic.claude-3-5-sonnet-20241022-v2:0"},
		{"ProfileARN", "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0"},
		{"OpaqueARN", "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/1arbu5hu2sjr"},
	} {
		b.Run(bm.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Resolve(bm.id); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// FuzzResolve checks that Resolve never panics, and that it answers either a model or one
// of its two sentinel errors with a Bedrock message.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{
		"", "arn:", "arn:aws:bedrock:us-east-1::foundation-model/",
		"anthropic.claude-3-haiku-20240307-v1:0",
		"us.anthropic.claude-3-5-sonnet-20241022-v2:0",
		"anthropic.claude-3-7-sonnet-20250219-v1:0",
		"arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
		"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0",
		"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/1arbu5hu2sjr",
		"arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdef123456",
		"arn:aws:bedrock:us-east-1:123456789012:prompt/PROMPT12AB:3",
		"arn:aws:bedrock:us-east-1:123456789012:default-prompt-router/anthropic.claude:1",
		"arn:aws:sagemaker:us-east-1:123456789012:endpoint/my-endpoint",
		"arn:aws:bedrock:us-east-1:123456789012:custom-model//",
		"arn:aws:bedrock:us-east-1:123456789012:prompt/:",
	} {
		f.Add(s)
	}
	c := catalog.Default()
	f.Fuzz(func(t *testing.T, id string) {
		r, err := c.Resolve(id)
		if err == nil {
			if r.Model == nil || r.Kind == "" {
				t.Fatalf("Resolve(%q) = %+v with no error", id, summarize(r))
			}
			return
		}
		if !errors.Is(err, catalog.ErrInvalidModel) && !errors.Is(err, catalog.ErrNeedsProfile) {
			t.Fatalf("Resolve(%q) error %v matches neither sentinel", id, err)
		}
		if _, ok := catalog.BedrockMessage(err); !ok {
			t.Fatalf("no Bedrock message for %v", err)
		}
	})
}
