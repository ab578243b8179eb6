package emulator_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/bedrock"
	"github.com/aws/aws-sdk-go-v2/service/bedrock/types"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	rtypes "github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// userModels is a user catalogue with an application inference profile (an alias) and a
// model of its own.
const userModels = "../internal/catalog/testdata/user.json"

// TestControlModels lists, filters and gets foundation models through the Go SDK's bedrock
// client, on the runtime's port.
func TestControlModels(t *testing.T) {
	t.Parallel()
	srv := emulator.NewServer(emulator.WithModelsFile(userModels))
	defer srv.Close()
	c, ctx := testkit.Bedrock(srv.URL), context.Background()

	all, err := c.ListFoundationModels(ctx, &bedrock.ListFoundationModelsInput{})
	if err != nil {
		t.Fatal(err)
	}
	ids := modelIDs(all.ModelSummaries)
	for _, want := range []string{"amazon.nova-micro-v1:0", "anthropic.claude-3-7-sonnet-20250219-v1:0", "acme.house-model-v1"} {
		if !slices.Contains(ids, want) {
			t.Errorf("ListFoundationModels lacks %s: %v", want, ids)
		}
	}

	anthropic, err := c.ListFoundationModels(ctx, &bedrock.ListFoundationModelsInput{ByProvider: aws.String("anthropic"),
		ByInferenceType: types.InferenceTypeOnDemand, ByOutputModality: types.ModelModalityText})
	if err != nil {
		t.Fatal(err)
	}
	if len(anthropic.ModelSummaries) == 0 {
		t.Fatal("byProvider anthropic, on demand: no models")
	}
	for _, m := range anthropic.ModelSummaries {
		if aws.ToString(m.ProviderName) != "Anthropic" || !slices.Contains(m.InferenceTypesSupported, types.InferenceTypeOnDemand) {
			t.Errorf("filtered list has %s (%s, %v)", aws.ToString(m.ModelId), aws.ToString(m.ProviderName), m.InferenceTypesSupported)
		}
	}
	// Claude 3.7 Sonnet is served through inference profiles only.
	if slices.Contains(modelIDs(anthropic.ModelSummaries), "anthropic.claude-3-7-sonnet-20250219-v1:0") {
		t.Error("byInferenceType ON_DEMAND lists Claude 3.7 Sonnet, a profile-only model")
	}
	if image, err := c.ListFoundationModels(ctx, &bedrock.ListFoundationModelsInput{ByOutputModality: types.ModelModalityImage}); err != nil || len(image.ModelSummaries) != 0 {
		t.Errorf("byOutputModality IMAGE = %v, %v; want no models (the catalogue's models output text)", err, image)
	}

	got, err := c.GetFoundationModel(ctx, &bedrock.GetFoundationModelInput{ModelIdentifier: aws.String("amazon.nova-lite-v1:0")})
	if err != nil {
		t.Fatal(err)
	}
	d := got.ModelDetails
	if aws.ToString(d.ModelArn) != "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0" || aws.ToString(d.ModelName) == "" ||
		!slices.Equal(d.InputModalities, []types.ModelModality{"TEXT", "IMAGE"}) || !aws.ToBool(d.ResponseStreamingSupported) ||
		d.ModelLifecycle == nil || d.ModelLifecycle.Status != types.FoundationModelLifecycleStatusActive {
		t.Errorf("GetFoundationModel(nova lite) = %+v", d)
	}
	if byARN, err := c.GetFoundationModel(ctx, &bedrock.GetFoundationModelInput{ModelIdentifier: d.ModelArn}); err != nil || aws.ToString(byARN.ModelDetails.ModelId) != "amazon.nova-lite-v1:0" {
		t.Errorf("GetFoundationModel by ARN = %v, %v", byARN, err)
	}
	_, err = c.GetFoundationModel(ctx, &bedrock.GetFoundationModelInput{ModelIdentifier: aws.String("acme.nothing-v1")})
	if code, msg := testkit.APIError(t, err); code != "ValidationException" || msg != "Could not find model with identifier acme.nothing-v1" {
		t.Errorf("GetFoundationModel(unknown) = %s: %s", code, msg)
	}
	_, err = c.GetFoundationModel(ctx, &bedrock.GetFoundationModelInput{ModelIdentifier: aws.String("NoDots")})
	if code, msg := testkit.APIError(t, err); code != "ValidationException" || !strings.HasPrefix(msg, "1 validation error detected: Value 'NoDots' at 'modelIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:aws") {
		t.Errorf("GetFoundationModel(malformed) = %s: %s", code, msg)
	}
	_, err = c.ListFoundationModels(ctx, &bedrock.ListFoundationModelsInput{ByInferenceType: "SOMETIMES"})
	if code, msg := testkit.APIError(t, err); code != "ValidationException" ||
		msg != "1 validation error detected: Value 'SOMETIMES' at 'byInferenceType' failed to satisfy constraint: Member must satisfy enum value set: [ON_DEMAND, PROVISIONED]" {
		t.Errorf("byInferenceType SOMETIMES = %s: %s", code, msg)
	}
}

func modelIDs(ms []types.FoundationModelSummary) []string {
	var ids []string
	for _, m := range ms {
		ids = append(ids, aws.ToString(m.ModelId))
	}
	return ids
}

// TestControlProfiles lists inference profiles a page at a time, gets one by ID and by ARN,
// and resolves an application inference profile's ARN to its model, through the Go SDK.
func TestControlProfiles(t *testing.T) {
	t.Parallel()
	srv := emulator.NewServer(emulator.WithModelsFile(userModels))
	defer srv.Close()
	c, ctx := testkit.Bedrock(srv.URL), context.Background()

	var ids []string
	pages := 0
	p := bedrock.NewListInferenceProfilesPaginator(c, &bedrock.ListInferenceProfilesInput{MaxResults: aws.Int32(7)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if len(page.InferenceProfileSummaries) > 7 {
			t.Errorf("page %d has %d profiles, over maxResults 7", pages, len(page.InferenceProfileSummaries))
		}
		for _, s := range page.InferenceProfileSummaries {
			if s.Type != types.InferenceProfileTypeSystemDefined {
				t.Errorf("%s: type %s without typeEquals", aws.ToString(s.InferenceProfileId), s.Type)
			}
			ids = append(ids, aws.ToString(s.InferenceProfileId))
		}
	}
	if pages < 2 || !slices.Contains(ids, "us.amazon.nova-micro-v1:0") || !slices.Contains(ids, "global.amazon.nova-2-lite-v1:0") {
		t.Errorf("%d pages, profiles %v", pages, ids)
	}
	if len(slices.Compact(slices.Sorted(slices.Values(ids)))) != len(ids) {
		t.Errorf("pages repeat profiles: %v", ids)
	}

	got, err := c.GetInferenceProfile(ctx, &bedrock.GetInferenceProfileInput{InferenceProfileIdentifier: aws.String("us.anthropic.claude-3-7-sonnet-20250219-v1:0")})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Models) != 1 || aws.ToString(got.Models[0].ModelArn) != "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-7-sonnet-20250219-v1:0" ||
		got.Status != types.InferenceProfileStatusActive || got.CreatedAt == nil {
		t.Errorf("GetInferenceProfile(us claude 3.7) = %+v", got)
	}
	if byARN, err := c.GetInferenceProfile(ctx, &bedrock.GetInferenceProfileInput{InferenceProfileIdentifier: got.InferenceProfileArn}); err != nil ||
		aws.ToString(byARN.InferenceProfileId) != "us.anthropic.claude-3-7-sonnet-20250219-v1:0" {
		t.Errorf("GetInferenceProfile by ARN = %v, %v", byARN, err)
	}

	// The application inference profile of the user catalogue, as LangChain resolves one.
	const app = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/1arbu5hu2sjr"
	got, err = c.GetInferenceProfile(ctx, &bedrock.GetInferenceProfileInput{InferenceProfileIdentifier: aws.String(app)})
	if err != nil {
		t.Fatal(err)
	}
	if got.Type != types.InferenceProfileTypeApplication || len(got.Models) != 1 ||
		aws.ToString(got.Models[0].ModelArn) != "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0" {
		t.Errorf("GetInferenceProfile(application) = %+v", got)
	}
	apps, err := c.ListInferenceProfiles(ctx, &bedrock.ListInferenceProfilesInput{TypeEquals: types.InferenceProfileTypeApplication})
	if err != nil || len(apps.InferenceProfileSummaries) != 1 || aws.ToString(apps.InferenceProfileSummaries[0].InferenceProfileArn) != app {
		t.Errorf("ListInferenceProfiles(APPLICATION) = %+v, %v", apps, err)
	}

	_, err = c.GetInferenceProfile(ctx, &bedrock.GetInferenceProfileInput{InferenceProfileIdentifier: aws.String("mars.amazon.nova-micro-v1:0")})
	if code, _ := testkit.APIError(t, err); code != "ResourceNotFoundException" {
		t.Errorf("GetInferenceProfile(unknown) = %s", code)
	}
	_, err = c.ListInferenceProfiles(ctx, &bedrock.ListInferenceProfilesInput{MaxResults: aws.Int32(0)})
	if code, msg := testkit.APIError(t, err); code != "ValidationException" ||
		msg != "1 validation error detected: Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1" {
		t.Errorf("maxResults 0 = %s: %s", code, msg)
	}
	_, err = c.ListInferenceProfiles(ctx, &bedrock.ListInferenceProfilesInput{NextToken: aws.String("not-a-token")})
	if code, _ := testkit.APIError(t, err); code != "ValidationException" {
		t.Errorf("a foreign nextToken = %s", code)
	}
}

// TestControlStrictAuth checks that AuthStrict takes the bedrock client's signatures (its
// signing name is "bedrock", as the runtime's) and that the ARNs name the signed Region.
func TestControlStrictAuth(t *testing.T) {
	t.Parallel()
	srv := startStrict(t)
	ctx := context.Background()
	c := testkit.Bedrock(srv.URL, func(o *bedrock.Options) {
		o.Region = "eu-west-1"
		o.Credentials = credentials.NewStaticCredentialsProvider(strictKey.AccessKeyID, strictKey.SecretAccessKey, "")
	})
	got, err := c.GetFoundationModel(ctx, &bedrock.GetFoundationModelInput{ModelIdentifier: aws.String("amazon.nova-micro-v1:0")})
	if err != nil {
		t.Fatal(err)
	}
	if arn := aws.ToString(got.ModelDetails.ModelArn); arn != "arn:aws:bedrock:eu-west-1::foundation-model/amazon.nova-micro-v1:0" {
		t.Errorf("modelArn %s, want eu-west-1's", arn)
	}
	_, err = testkit.Bedrock(srv.URL).ListFoundationModels(ctx, &bedrock.ListFoundationModelsInput{})
	if code, _ := testkit.APIError(t, err); code != "UnrecognizedClientException" {
		t.Errorf("an unknown key = %s; want UnrecognizedClientException", code)
	}
}

// TestControlBoto3 runs testdata/boto3_control.py: the same calls through boto3's bedrock
// client. It skips where python3 or boto3 is missing.
func TestControlBoto3(t *testing.T) {
	t.Parallel()
	runBoto3(t, "boto3_control.py", emulator.WithModelsFile(userModels))
}

// TestControlGuardrails creates a guardrail and a version through the Go SDK's bedrock
// client, sees Converse apply it, lists, gets and deletes it, and sees Converse refuse its ID
// with Bedrock's message.
func TestControlGuardrails(t *testing.T) {
	t.Parallel()
	srv, rt := start(t)
	c, ctx := testkit.Bedrock(srv.URL), context.Background()
	in := &bedrock.CreateGuardrailInput{Name: aws.String("no-secrets"), Description: aws.String("blocks a word"),
		BlockedInputMessaging: aws.String("Blocked input."), BlockedOutputsMessaging: aws.String("Blocked output."),
		WordPolicyConfig: &types.GuardrailWordPolicyConfig{WordsConfig: []types.GuardrailWordConfig{{Text: aws.String("swordfish")}}}}
	created, err := c.CreateGuardrail(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(created.GuardrailId)
	if len(id) != 12 || aws.ToString(created.Version) != "DRAFT" || aws.ToString(created.GuardrailArn) != "arn:aws:bedrock:us-east-1:123456789012:guardrail/"+id {
		t.Errorf("CreateGuardrail = %+v", created)
	}
	_, err = c.CreateGuardrail(ctx, in)
	if code, _ := testkit.APIError(t, err); code != "ConflictException" {
		t.Errorf("a second guardrail named no-secrets: %s, want ConflictException", code)
	}
	v, err := c.CreateGuardrailVersion(ctx, &bedrock.CreateGuardrailVersionInput{GuardrailIdentifier: created.GuardrailArn})
	if err != nil || aws.ToString(v.Version) != "1" {
		t.Fatalf("CreateGuardrailVersion = %+v, %v", v, err)
	}

	converse := func() (*bedrockruntime.ConverseOutput, error) {
		return rt.Converse(ctx, &bedrockruntime.ConverseInput{ModelId: aws.String("amazon.nova-micro-v1:0"),
			Messages:        []rtypes.Message{testkit.UserText("what is the swordfish password?")},
			GuardrailConfig: &rtypes.GuardrailConfiguration{GuardrailIdentifier: aws.String(id), GuardrailVersion: aws.String("1")}})
	}
	out, err := converse()
	if err != nil {
		t.Fatal(err)
	}
	if out.StopReason != rtypes.StopReasonGuardrailIntervened || testkit.ReplyText(t, out) != "Blocked input." {
		t.Errorf("Converse with the created guardrail: %s %q", out.StopReason, testkit.ReplyText(t, out))
	}

	got, err := c.GetGuardrail(ctx, &bedrock.GetGuardrailInput{GuardrailIdentifier: aws.String(id), GuardrailVersion: aws.String("1")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(got.Name) != "no-secrets" || aws.ToString(got.Version) != "1" || got.Status != types.GuardrailStatusReady ||
		got.WordPolicy == nil || len(got.WordPolicy.Words) != 1 || aws.ToString(got.WordPolicy.Words[0].Text) != "swordfish" || got.CreatedAt == nil {
		t.Errorf("GetGuardrail = %+v", got)
	}
	list, err := c.ListGuardrails(ctx, &bedrock.ListGuardrailsInput{GuardrailIdentifier: aws.String(id)})
	if err != nil || len(list.Guardrails) != 2 || aws.ToString(list.Guardrails[1].Version) != "1" {
		t.Errorf("ListGuardrails(id) = %+v, %v; want DRAFT and 1", list, err)
	}

	if _, err := c.DeleteGuardrail(ctx, &bedrock.DeleteGuardrailInput{GuardrailIdentifier: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	_, err = converse()
	if code, msg := testkit.APIError(t, err); code != "ValidationException" || msg != "The guardrail identifier or version provided in the request does not exist." {
		t.Errorf("Converse with the deleted guardrail: %s: %s", code, msg)
	}
	_, err = c.GetGuardrail(ctx, &bedrock.GetGuardrailInput{GuardrailIdentifier: aws.String(id)})
	if code, _ := testkit.APIError(t, err); code != "ResourceNotFoundException" {
		t.Errorf("GetGuardrail(deleted) = %s", code)
	}
	_, err = c.CreateGuardrail(ctx, &bedrock.CreateGuardrailInput{Name: aws.String("bad name!"),
		BlockedInputMessaging: aws.String("x"), BlockedOutputsMessaging: aws.String("y")})
	if code, msg := testkit.APIError(t, err); code != "ValidationException" ||
		msg != "1 validation error detected: Value at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9a-zA-Z-_]+" {
		t.Errorf("CreateGuardrail(bad name) = %s: %s", code, msg)
	}
}

// The URI and query members of the guardrail calls are checked against botocore's bedrock
// model too: an identifier outside GuardrailIdentifier's pattern, a version outside
// GuardrailVersion's.
func TestControlGuardrailParams(t *testing.T) {
	t.Parallel()
	srv, _ := start(t)
	c, ctx := testkit.Bedrock(srv.URL), context.Background()
	_, err := c.GetGuardrail(ctx, &bedrock.GetGuardrailInput{GuardrailIdentifier: aws.String("Not_An_ID")})
	if code, msg := testkit.APIError(t, err); code != "ValidationException" ||
		!strings.HasPrefix(msg, "1 validation error detected: Value 'Not_An_ID' at 'guardrailIdentifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ") {
		t.Errorf("GetGuardrail(Not_An_ID) = %s: %s", code, msg)
	}
	_, err = c.GetGuardrail(ctx, &bedrock.GetGuardrailInput{GuardrailIdentifier: aws.String("abc123"), GuardrailVersion: aws.String("v1")})
	if code, msg := testkit.APIError(t, err); code != "ValidationException" || !strings.Contains(msg, "Value 'v1' at 'guardrailVersion'") {
		t.Errorf("GetGuardrail(version v1) = %s: %s", code, msg)
	}
}
