package conformance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	btypes "github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
)

// controlCases are the calls of the bedrock control plane (botocore's
// bedrock/2023-04-20/service-2.json) that runtime code makes, on the same endpoint: the
// model list with a filter, a model and a model that does not exist, the inference
// profiles page by page, one profile and a profile that does not exist, and a guardrail
// created, read and deleted. Each answer's members are held to the shapes below.
func controlCases() []Case {
	known := "amazon.nova-micro-v1:0" // a foundation model of every US Region, and of the emulator
	return []Case{
		{
			Name: "control/list-foundation-models",
			Doc: "ListFoundationModels filtered by provider and output modality: every summary has the " +
				"FoundationModelSummary shape and matches the filter.",
			Tags: []string{tagControl},
			Steps: []Step{{Request: Request{Model: known}, Call: controlCall("ListFoundationModels",
				func(ctx context.Context, c *bedrock.Client, _ string) (any, error) {
					return c.ListFoundationModels(ctx, &bedrock.ListFoundationModelsInput{
						ByProvider: aws.String("Amazon"), ByOutputModality: btypes.ModelModalityText})
				}),
				Expect: Expect{Check: func(a *Answer) error {
					out, err := result[*bedrock.ListFoundationModelsOutput](a)
					if err != nil {
						return err
					}
					if len(out.ModelSummaries) == 0 {
						return errors.New("no model summaries for byProvider Amazon, byOutputModality TEXT")
					}
					for _, m := range out.ModelSummaries {
						if !strings.EqualFold(aws.ToString(m.ProviderName), "Amazon") || !slices.Contains(m.OutputModalities, btypes.ModelModalityText) {
							return fmt.Errorf("%s (provider %q, outputs %v) does not match the filter", aws.ToString(m.ModelId), aws.ToString(m.ProviderName), m.OutputModalities)
						}
					}
					return bodyShape(a, listFoundationModelsShape)
				}}},
			},
		},
		{
			Name:  "control/get-foundation-model",
			Doc:   "GetFoundationModel of a model the Region hosts: modelDetails with the FoundationModelDetails shape, for that model.",
			Tags:  []string{tagControl},
			Steps: []Step{{Request: Request{Model: known}, Call: getModelCall(), Expect: Expect{Check: modelDetails}}},
		},
		{
			Name: "control/get-foundation-model-unknown",
			Doc: "GetFoundationModel of a well-formed ID no model has. The message is a third-party troubleshooting " +
				"page's, not a recording (emulator/control.go).",
			Tags: []string{tagControl, tagUnverified},
			Steps: []Step{{Request: Request{Model: "amazon.does-not-exist-v1:0"}, Call: getModelCall(),
				Expect: Expect{Error: &WantError{Type: "ValidationException", Status: 400,
					Message: "Could not find model with identifier amazon.does-not-exist-v1:0"}}}},
		},
		{
			Name: "control/list-inference-profiles-paged",
			Doc: "ListInferenceProfiles one profile a page: the first page has one summary and a nextToken, the " +
				"second, asked with it, one other profile; both with the InferenceProfileSummary shape.",
			Tags: []string{tagControl},
			Steps: []Step{{Request: Request{Model: ModelText}, Call: controlCall("ListInferenceProfiles",
				func(ctx context.Context, c *bedrock.Client, _ string) (any, error) {
					first, err := c.ListInferenceProfiles(ctx, &bedrock.ListInferenceProfilesInput{MaxResults: aws.Int32(1)})
					if err != nil {
						return nil, err
					}
					if first.NextToken == nil {
						return []*bedrock.ListInferenceProfilesOutput{first}, nil
					}
					second, err := c.ListInferenceProfiles(ctx, &bedrock.ListInferenceProfilesInput{MaxResults: aws.Int32(1), NextToken: first.NextToken})
					return []*bedrock.ListInferenceProfilesOutput{first, second}, err
				}),
				Expect: Expect{Check: func(a *Answer) error {
					pages, err := result[[]*bedrock.ListInferenceProfilesOutput](a)
					if err != nil {
						return err
					}
					if len(pages) < 2 {
						return errors.New("maxResults 1 gave one page and no nextToken")
					}
					var ids []string
					for i, p := range pages {
						if len(p.InferenceProfileSummaries) != 1 {
							return fmt.Errorf("page %d has %d summaries, want 1 (maxResults 1)", i+1, len(p.InferenceProfileSummaries))
						}
						ids = append(ids, aws.ToString(p.InferenceProfileSummaries[0].InferenceProfileId))
					}
					if ids[0] == ids[1] {
						return fmt.Errorf("both pages hold %s", ids[0])
					}
					return bodyShape(a, listInferenceProfilesShape) // the second page's body
				}}},
			},
		},
		{
			Name: "control/get-inference-profile",
			Doc: "GetInferenceProfile of the text role's system-defined profile resolves it to its model: the " +
				"InferenceProfile shape, type SYSTEM_DEFINED, a models entry whose ARN names the foundation model.",
			Tags: []string{tagControl},
			Steps: []Step{{Request: Request{Model: ModelText}, Call: getProfileCall(),
				Expect: Expect{Check: func(a *Answer) error {
					out, err := result[*bedrock.GetInferenceProfileOutput](a)
					if err != nil {
						return err
					}
					if aws.ToString(out.InferenceProfileId) != a.ModelID || out.Type != btypes.InferenceProfileTypeSystemDefined {
						return fmt.Errorf("profile %s of type %s, want %s, SYSTEM_DEFINED", aws.ToString(out.InferenceProfileId), out.Type, a.ModelID)
					}
					_, base, _ := strings.Cut(a.ModelID, ".")
					if !slices.ContainsFunc(out.Models, func(m btypes.InferenceProfileModel) bool {
						return strings.HasSuffix(aws.ToString(m.ModelArn), ":foundation-model/"+base)
					}) {
						return fmt.Errorf("no model of %s is foundation-model/%s", a.ModelID, base)
					}
					return bodyShape(a, getInferenceProfileShape)
				}}},
			},
		},
		{
			Name: "control/get-inference-profile-unknown",
			Doc: "GetInferenceProfile of a well-formed ID no profile has: ResourceNotFoundException, as the API model " +
				"lists. The message is the emulator's; Bedrock's was not found (emulator/control.go).",
			Tags: []string{tagControl, tagUnverified},
			Steps: []Step{{Request: Request{Model: "us.amazon.does-not-exist-v1:0"}, Call: getProfileCall(),
				Expect: Expect{Error: &WantError{Type: "ResourceNotFoundException", Status: 404,
					Message: "Inference profile us.amazon.does-not-exist-v1:0 not found."}}}},
		},
		{
			Name: "control/guardrail-create-get-delete",
			Doc: "CreateGuardrail (a guardrail with one word), GetGuardrail of it (the GetGuardrail " +
				"shape, version DRAFT, the name and messages sent), DeleteGuardrail. The guardrail is deleted however " +
				"the case ends, so the case is safe on real Bedrock.",
			Tags: []string{tagControl},
			Steps: []Step{{Request: Request{Model: ModelText}, Call: guardrailCall("GetGuardrail", "conformance-create-get-delete",
				func(ctx context.Context, c *bedrock.Client, id string) (any, error) {
					return c.GetGuardrail(ctx, &bedrock.GetGuardrailInput{GuardrailIdentifier: aws.String(id)})
				}),
				Expect: Expect{Check: func(a *Answer) error {
					out, err := result[*bedrock.GetGuardrailOutput](a)
					if err != nil {
						return err
					}
					if aws.ToString(out.Version) != "DRAFT" || !strings.HasPrefix(aws.ToString(out.Name), "conformance-") ||
						aws.ToString(out.BlockedInputMessaging) != guardrailBlocked {
						return fmt.Errorf("guardrail %s version %s, blockedInputMessaging %q: not the one created",
							aws.ToString(out.Name), aws.ToString(out.Version), aws.ToString(out.BlockedInputMessaging))
					}
					return bodyShape(a, getGuardrailShape)
				}}},
			},
		},
		{
			Name: "control/guardrail-duplicate-name",
			Doc: "CreateGuardrail with the name of a guardrail that exists: ConflictException, as the API model " +
				"lists. The message is the emulator's; Bedrock's was not found (emulator/control_guardrail.go).",
			Tags: []string{tagControl, tagUnverified},
			Steps: []Step{{Request: Request{Model: ModelText}, Call: guardrailCall("CreateGuardrail", fixedGuardrailName,
				func(ctx context.Context, c *bedrock.Client, _ string) (any, error) {
					return c.CreateGuardrail(ctx, newGuardrailInput(fixedGuardrailName, "again"))
				}),
				Expect: Expect{Error: &WantError{Type: "ConflictException", Status: 400, // the bedrock model's httpStatusCode
					Message: "A guardrail with the name " + fixedGuardrailName + " already exists."}}}},
		},
		{
			Name: "control/get-guardrail-unknown",
			Doc: "GetGuardrail of a well-formed ID no guardrail has: ResourceNotFoundException, as the API model " +
				"lists. The message is the emulator's; Bedrock's was not found (emulator/control_guardrail.go).",
			Tags: []string{tagControl, tagUnverified},
			Steps: []Step{{Request: Request{Model: ModelText}, Call: controlCall("GetGuardrail",
				func(ctx context.Context, c *bedrock.Client, _ string) (any, error) {
					return c.GetGuardrail(ctx, &bedrock.GetGuardrailInput{GuardrailIdentifier: aws.String("conformancemissing1")})
				}),
				Expect: Expect{Error: &WantError{Type: "ResourceNotFoundException", Status: 404,
					Message: "The guardrail conformancemissing1 was not found."}}}},
		},
	}
}

const tagControl = "control"

// guardrailBlocked is the blocked messaging of the guardrails the control cases create.
const guardrailBlocked = "Sorry, the conformance control guardrail blocked this."

// fixedGuardrailName names the guardrail of control/guardrail-duplicate-name: the name
// must be the same on every run for the message to be. The guardrails the control cases
// create have fixed names, so that two targets' answers compare (Diff); a run killed
// before it deleted one leaves it behind, and the next run's CreateGuardrail fails with
// ConflictException until it is deleted by hand.
const fixedGuardrailName = "conformance-duplicate-name"

// newGuardrailInput is the CreateGuardrail request of a guardrail named name. Its
// clientRequestToken is fixed (name and attempt), not the SDK's random one, so that a
// cassette of the run matches the request on its body; two attempts to create one name
// differ in it, so that the second is not taken as a retry of the first.
func newGuardrailInput(name, attempt string) *bedrock.CreateGuardrailInput {
	return &bedrock.CreateGuardrailInput{
		Name:                    aws.String(name),
		ClientRequestToken:      aws.String(name + "-" + attempt),
		BlockedInputMessaging:   aws.String(guardrailBlocked),
		BlockedOutputsMessaging: aws.String(guardrailBlocked),
		WordPolicyConfig: &btypes.GuardrailWordPolicyConfig{WordsConfig: []btypes.GuardrailWordConfig{
			{Text: aws.String("conformanceforbiddenword")},
		}},
	}
}

// guardrailCall is a Call step that makes a guardrail (see withGuardrail), then does
// its operation with the guardrail's ID.
func guardrailCall(op, name string, do func(ctx context.Context, c *bedrock.Client, id string) (any, error)) *Call {
	return &Call{Operation: op, Control: true, Do: func(ctx context.Context, c *bedrockruntime.Client, _ *bedrockruntime.ConverseInput, opts ...func(*bedrockruntime.Options)) (any, error) {
		ctl := ControlClient(c, opts...)
		return withGuardrail(ctx, ctl, ControlClient(c), name, func(id string) (any, error) { return do(ctx, ctl, id) })
	}}
}

// withGuardrail creates a guardrail named name, calls f with its ID and deletes it
// through plain, whatever f returned. plain is a client without the runner's recording
// layer, so the answer checked is f's last call's.
func withGuardrail(ctx context.Context, c, plain *bedrock.Client, name string, f func(id string) (any, error)) (any, error) {
	created, err := c.CreateGuardrail(ctx, newGuardrailInput(name, "first"))
	if err != nil {
		return nil, fmt.Errorf("CreateGuardrail: %w", err)
	}
	defer plain.DeleteGuardrail(context.WithoutCancel(ctx), &bedrock.DeleteGuardrailInput{GuardrailIdentifier: created.GuardrailId})
	return f(aws.ToString(created.GuardrailId))
}

// controlCall is a Call step of a control-plane operation: do gets a bedrock client for
// the target's endpoint and the step's resolved model ID.
func controlCall(op string, do func(ctx context.Context, c *bedrock.Client, id string) (any, error)) *Call {
	return &Call{Operation: op, Control: true, Do: func(ctx context.Context, c *bedrockruntime.Client, in *bedrockruntime.ConverseInput, opts ...func(*bedrockruntime.Options)) (any, error) {
		return do(ctx, ControlClient(c, opts...), aws.ToString(in.ModelId))
	}}
}

func getModelCall() *Call {
	return controlCall("GetFoundationModel", func(ctx context.Context, c *bedrock.Client, id string) (any, error) {
		return c.GetFoundationModel(ctx, &bedrock.GetFoundationModelInput{ModelIdentifier: aws.String(id)})
	})
}

func getProfileCall() *Call {
	return controlCall("GetInferenceProfile", func(ctx context.Context, c *bedrock.Client, id string) (any, error) {
		return c.GetInferenceProfile(ctx, &bedrock.GetInferenceProfileInput{InferenceProfileIdentifier: aws.String(id)})
	})
}

// modelDetails: GetFoundationModel answered for the model asked.
func modelDetails(a *Answer) error {
	out, err := result[*bedrock.GetFoundationModelOutput](a)
	if err != nil {
		return err
	}
	if out.ModelDetails == nil || aws.ToString(out.ModelDetails.ModelId) != a.ModelID {
		return fmt.Errorf("modelDetails %+v, want model %s", out.ModelDetails, a.ModelID)
	}
	return bodyShape(a, getFoundationModelShape)
}

// ControlClient is a client of the bedrock control plane that reaches the endpoint c
// reaches, as c does with opts applied: Region, credentials, HTTP client, endpoint and
// retries. A Call's Do uses it to send a control-plane operation on a target.
func ControlClient(c *bedrockruntime.Client, opts ...func(*bedrockruntime.Options)) *bedrock.Client {
	o := c.Options()
	for _, f := range opts {
		f(&o)
	}
	return bedrock.New(bedrock.Options{
		Region:           o.Region,
		Credentials:      o.Credentials,
		HTTPClient:       o.HTTPClient,
		BaseEndpoint:     o.BaseEndpoint,
		Retryer:          o.Retryer,
		RetryMaxAttempts: o.RetryMaxAttempts,
		RetryMode:        o.RetryMode,
		Logger:           o.Logger,
		ClientLogMode:    o.ClientLogMode,
		AppID:            o.AppID,
	})
}

// memberShape is the members of one structure of the bedrock model: each member's type as
// botocore names it ("string", "timestamp", "boolean", "integer", "list", "structure"),
// the required ones, and the shapes of the structures a member holds (or its list holds).
type memberShape struct {
	members  map[string]string
	required []string
	nested   map[string]*memberShape
}

// The output shapes of the control cases, from botocore's bedrock model (the test
// TestControlShapesAreTheModels compares them with it).
var (
	foundationModelSummaryShape = &memberShape{
		members: map[string]string{"modelArn": "string", "modelId": "string", "modelName": "string", "providerName": "string",
			"inputModalities": "list", "outputModalities": "list", "responseStreamingSupported": "boolean",
			"customizationsSupported": "list", "inferenceTypesSupported": "list", "modelLifecycle": "structure"},
		required: []string{"modelArn", "modelId"},
	}
	listFoundationModelsShape = &memberShape{members: map[string]string{"modelSummaries": "list"},
		nested: map[string]*memberShape{"modelSummaries": foundationModelSummaryShape}}
	getFoundationModelShape = &memberShape{members: map[string]string{"modelDetails": "structure"},
		nested: map[string]*memberShape{"modelDetails": foundationModelSummaryShape}} // FoundationModelDetails has the summary's members
	inferenceProfileSummaryShape = &memberShape{
		members: map[string]string{"inferenceProfileName": "string", "description": "string", "createdAt": "timestamp",
			"updatedAt": "timestamp", "inferenceProfileArn": "string", "models": "list", "inferenceProfileId": "string",
			"status": "string", "type": "string"},
		required: []string{"inferenceProfileName", "inferenceProfileArn", "models", "inferenceProfileId", "status", "type"},
		nested:   map[string]*memberShape{"models": {members: map[string]string{"modelArn": "string"}}},
	}
	listInferenceProfilesShape = &memberShape{members: map[string]string{"inferenceProfileSummaries": "list", "nextToken": "string"},
		nested: map[string]*memberShape{"inferenceProfileSummaries": inferenceProfileSummaryShape}}
	getInferenceProfileShape = inferenceProfileSummaryShape // GetInferenceProfileResponse has the summary's members
	getGuardrailShape        = &memberShape{
		members: map[string]string{"name": "string", "description": "string", "guardrailId": "string", "guardrailArn": "string",
			"version": "string", "status": "string", "topicPolicy": "structure", "contentPolicy": "structure",
			"wordPolicy": "structure", "sensitiveInformationPolicy": "structure", "contextualGroundingPolicy": "structure",
			"automatedReasoningPolicy": "structure", "crossRegionDetails": "structure", "createdAt": "timestamp",
			"updatedAt": "timestamp", "statusReasons": "list", "failureRecommendations": "list",
			"blockedInputMessaging": "string", "blockedOutputsMessaging": "string", "kmsKeyArn": "string"},
		required: []string{"name", "guardrailId", "guardrailArn", "version", "status", "createdAt", "updatedAt",
			"blockedInputMessaging", "blockedOutputsMessaging"},
	}
)

// bodyShape checks the answer's JSON body against s.
func bodyShape(a *Answer, s *memberShape) error {
	var v any
	if err := json.Unmarshal(a.Body, &v); err != nil {
		return fmt.Errorf("body is not JSON: %w", err)
	}
	return s.check("", v)
}

func (s *memberShape) check(path string, v any) error {
	obj, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("%s is %T, want an object", orRoot(path), v)
	}
	for _, r := range s.required {
		if _, ok := obj[r]; !ok {
			return fmt.Errorf("%s lacks required member %s", orRoot(path), r)
		}
	}
	for k, val := range obj {
		typ, ok := s.members[k]
		if !ok {
			return fmt.Errorf("%s has member %s, which the model does not", orRoot(path), k)
		}
		p := strings.TrimPrefix(path+"."+k, ".")
		if !memberKind(typ, val) {
			return fmt.Errorf("%s is %T, want the JSON form of a %s", p, val, typ)
		}
		n := s.nested[k]
		if n == nil {
			continue
		}
		if list, ok := val.([]any); ok {
			for i, e := range list {
				if err := n.check(fmt.Sprintf("%s[%d]", p, i), e); err != nil {
					return err
				}
			}
		} else if err := n.check(p, val); err != nil {
			return err
		}
	}
	return nil
}

// memberKind reports whether v is the JSON form (restJson1) of a member of botocore type typ.
func memberKind(typ string, v any) bool {
	switch v.(type) {
	case string:
		return typ == "string" || typ == "timestamp" // restJson1 timestamps default to ISO 8601 text
	case bool:
		return typ == "boolean"
	case float64:
		return typ == "integer" || typ == "long" || typ == "float" || typ == "double" || typ == "timestamp"
	case []any:
		return typ == "list"
	case map[string]any:
		return typ == "structure" || typ == "map"
	}
	return false
}
