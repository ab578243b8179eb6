package emulator

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/bedrock-emulator/bedrock-emulator/internal/catalog"
	"github.com/bedrock-emulator/bedrock-emulator/internal/spec"
)

// The control-plane read calls (the "bedrock" service, botocore's
// bedrock/2023-04-20/service-2.json) that runtime code makes to pick a model or resolve an
// inference profile: ListFoundationModels, GetFoundationModel, ListInferenceProfiles and
// GetInferenceProfile, served on the runtime's port and answered from the model catalogue
// (the built-in one with Options.ModelsFile laid over it). The JSON member names and the
// enum values are those of the AWS SDK for Go's service/bedrock client, generated from that
// model.
//
// What the catalogue does not know is filled in plainly: every model outputs TEXT; input
// modalities are TEXT, and IMAGE when the model takes images (the API's ModelModality enum
// has no document, video or audio); no customizations; lifecycle ACTIVE; a system-defined
// profile lists its model's ARN in the request's Region only (Bedrock lists each Region of
// the geography).

// controlAccount is the account of the inference-profile ARNs the emulator makes up.
const controlAccount = defaultGuardrailAccount

// profileTime is the createdAt and updatedAt of every inference profile: the emulator's own,
// fixed so that answers repeat.
const profileTime = "2024-08-27T00:00:00Z"

// providerNames are the providerName values of Bedrock's model list for the provider parts
// of the model IDs; a provider not listed is named by its ID part.
var providerNames = map[string]string{
	"amazon": "Amazon", "anthropic": "Anthropic", "meta": "Meta", "mistral": "Mistral AI",
	"cohere": "Cohere", "ai21": "AI21 Labs", "deepseek": "DeepSeek", "writer": "Writer",
	"openai": "OpenAI", "qwen": "Qwen",
}

type foundationModel struct {
	ModelArn                   string          `json:"modelArn"`
	ModelID                    string          `json:"modelId"`
	ModelName                  string          `json:"modelName"`
	ProviderName               string          `json:"providerName"`
	InputModalities            []string        `json:"inputModalities"`
	OutputModalities           []string        `json:"outputModalities"`
	ResponseStreamingSupported bool            `json:"responseStreamingSupported"`
	CustomizationsSupported    []string        `json:"customizationsSupported"`
	InferenceTypesSupported    []string        `json:"inferenceTypesSupported"`
	ModelLifecycle             json.RawMessage `json:"modelLifecycle"`
}

type inferenceProfile struct {
	InferenceProfileName string         `json:"inferenceProfileName"`
	Description          string         `json:"description,omitempty"`
	CreatedAt            string         `json:"createdAt"`
	UpdatedAt            string         `json:"updatedAt"`
	InferenceProfileArn  string         `json:"inferenceProfileArn"`
	Models               []profileModel `json:"models"`
	InferenceProfileID   string         `json:"inferenceProfileId"`
	Status               string         `json:"status"`
	Type                 string         `json:"type"`
}

type profileModel struct {
	ModelArn string `json:"modelArn"`
}

// requestRegion is the Region the request was signed for, us-east-1 when it names none.
func requestRegion(r *http.Request) string {
	if auth := r.Header.Get("Authorization"); strings.HasPrefix(auth, "AWS4-HMAC-SHA256 ") {
		if sig, e := parseSigV4(auth); e == nil && sig.region != "" {
			return sig.region
		}
	}
	return defaultGuardrailRegion
}

func foundationModelARN(region, id string) string {
	return "arn:aws:bedrock:" + region + "::foundation-model/" + id
}

// describeModel is m as ListFoundationModels and GetFoundationModel give it.
func describeModel(region string, m *catalog.Model) foundationModel {
	in := []string{"TEXT"}
	if m.Accepts(catalog.Image) {
		in = append(in, "IMAGE")
	}
	// unverified: "INFERENCE_PROFILE" for a model that only a profile serves is what
	// Bedrock's listings are remembered to show; the API model's InferenceType enum has
	// ON_DEMAND and PROVISIONED only.
	types := []string{"INFERENCE_PROFILE"}
	if m.OnDemand {
		types = []string{"ON_DEMAND"}
	}
	provider := providerNames[m.Provider]
	if provider == "" {
		provider = m.Provider
	}
	return foundationModel{ModelArn: foundationModelARN(region, m.ID), ModelID: m.ID, ModelName: m.Name,
		ProviderName: provider, InputModalities: in, OutputModalities: []string{"TEXT"},
		ResponseStreamingSupported: true, CustomizationsSupported: []string{}, InferenceTypesSupported: types,
		ModelLifecycle: json.RawMessage(`{"status":"ACTIVE"}`)}
}

// checkParams checks the request's URI labels and query values against the members
// botocore's bedrock model binds them to (spec.ControlModel): enums, patterns, lengths and
// ranges, in the service's words.
func checkParams(x *exchange) *Error {
	q := x.r.URL.Query()
	vs := spec.ControlModel().ValidateParams(x.op, func(location, name string) (string, bool) {
		if location == "querystring" {
			return q.Get(name), q.Has(name)
		}
		v, err := url.PathUnescape(x.vars.Get(name))
		return v, err == nil && v != ""
	})
	if len(vs) > 0 {
		return validationError("%s", spec.Message(vs))
	}
	return nil
}

// listFoundationModels answers ListFoundationModels (GET /foundation-models), with its
// filters byProvider (case-insensitive, on the provider name or the ID's provider part),
// byOutputModality and byInferenceType; byCustomizationType matches nothing, as no model
// here is customizable. The API has no pagination for it.
func (h *handler) listFoundationModels(x *exchange) (answer, *Error) {
	q := x.r.URL.Query()
	output, inference := q.Get("byOutputModality"), q.Get("byInferenceType") // checkParams checked their enums
	region := requestRegion(x.r)
	summaries := []foundationModel{}
	for _, m := range h.models.Models() {
		d := describeModel(region, m)
		switch {
		case q.Has("byProvider") && !strings.EqualFold(q.Get("byProvider"), d.ProviderName) && !strings.EqualFold(q.Get("byProvider"), m.Provider):
		case q.Has("byOutputModality") && !slices.Contains(d.OutputModalities, output):
		case q.Has("byInferenceType") && !slices.Contains(d.InferenceTypesSupported, inference):
		case q.Has("byCustomizationType"):
		default:
			summaries = append(summaries, d)
		}
	}
	return jsonAnswer(map[string]any{"modelSummaries": summaries})
}

// getFoundationModel answers GetFoundationModel (GET /foundation-models/{modelIdentifier}),
// the identifier a foundation-model ID or ARN.
func (h *handler) getFoundationModel(x *exchange) (answer, *Error) {
	id, err := url.PathUnescape(x.vars.Get("modelIdentifier"))
	if err != nil {
		id = x.vars.Get("modelIdentifier")
	}
	x.entry.ModelID = id
	bare := id
	if i := strings.Index(id, ":foundation-model/"); strings.HasPrefix(id, "arn:") && i >= 0 {
		bare = id[i+len(":foundation-model/"):]
	}
	m, ok := h.models.Lookup(bare)
	if !ok {
		// unverified: the words of a third-party troubleshooting page ("An error occurred
		// (ValidationException) when calling the GetFoundationModel operation: Could not
		// find model with identifier anthropic.claude-3-5-sonnet-20241022-v2:0"), not a
		// recording; the API model also lists ResourceNotFoundException for this call.
		return answer{}, validationError("Could not find model with identifier %s", id)
	}
	return jsonAnswer(map[string]any{"modelDetails": describeModel(requestRegion(x.r), m)})
}

// inferenceProfiles lists the profiles the catalogue knows: a system-defined profile for
// each geography prefix of each model, then an application profile for each alias whose ARN
// is an application inference profile's.
func (h *handler) inferenceProfiles(region string) []inferenceProfile {
	var ps []inferenceProfile
	for _, m := range h.models.Models() {
		for _, p := range m.Profiles {
			id := p + "." + m.ID
			ps = append(ps, inferenceProfile{InferenceProfileName: strings.ToUpper(p) + " " + m.Name,
				Description: "Routes requests to " + m.Name + ".", CreatedAt: profileTime, UpdatedAt: profileTime,
				InferenceProfileArn: "arn:aws:bedrock:" + region + ":" + controlAccount + ":inference-profile/" + id,
				Models:              []profileModel{{foundationModelARN(region, m.ID)}}, InferenceProfileID: id,
				Status: "ACTIVE", Type: "SYSTEM_DEFINED"})
		}
	}
	aliases := h.models.Aliases()
	arns := slices.Sorted(func(yield func(string) bool) {
		for arn := range aliases {
			if !yield(arn) {
				return
			}
		}
	})
	for _, arn := range arns {
		_, id, ok := strings.Cut(arn, ":application-inference-profile/")
		if !ok {
			continue
		}
		target := aliases[arn]
		res, err := h.models.Resolve(target)
		var model *catalog.Model
		if err == nil {
			model = res.Model
		} else if m, ok := h.models.Lookup(target); ok {
			model = m
		}
		if model == nil {
			continue
		}
		ps = append(ps, inferenceProfile{InferenceProfileName: id, CreatedAt: profileTime, UpdatedAt: profileTime,
			InferenceProfileArn: arn, Models: []profileModel{{foundationModelARN(region, model.ID)}},
			InferenceProfileID: id, Status: "ACTIVE", Type: "APPLICATION"})
	}
	return ps
}

// maxPage is the largest maxResults of ListInferenceProfiles and ListGuardrails (the API
// model's range); without maxResults a page holds that many.
const maxPage = 1000

// paginate cuts the page that the query's maxResults and nextToken ask for out of all, and
// returns the nextToken of the page after it ("" for the last).
func paginate[T any](q url.Values, all []T) (page []T, next string, e *Error) {
	size := maxPage
	if q.Has("maxResults") {
		n, err := strconv.Atoi(q.Get("maxResults"))
		if err != nil {
			// unverified: Coral's answer to a query integer that does not parse.
			return nil, "", serializationError("Unable to parse maxResults: " + q.Get("maxResults"))
		}
		size = min(max(n, 1), maxPage) // checkParams refused a value outside the model's range
	}
	start := 0
	if q.Has("nextToken") {
		var ok bool
		if start, ok = decodePageToken(q.Get("nextToken")); !ok || start > len(all) {
			// unverified: Bedrock's message for a token it did not issue was not found.
			return nil, "", validationError("The provided nextToken is not valid.")
		}
	}
	end := min(start+size, len(all))
	if end < len(all) {
		next = encodePageToken(end)
	}
	return append([]T{}, all[start:end]...), next, nil
}

// listInferenceProfiles answers ListInferenceProfiles (GET /inference-profiles), filtered
// by typeEquals (query "type"), a page of maxResults at a time with a nextToken.
func (h *handler) listInferenceProfiles(x *exchange) (answer, *Error) {
	q := x.r.URL.Query()
	// unverified: without typeEquals Bedrock is taken to list the system-defined profiles only.
	typ := "SYSTEM_DEFINED"
	if q.Has("type") {
		typ = q.Get("type") // checkParams checked its enum
	}
	var all []inferenceProfile
	for _, p := range h.inferenceProfiles(requestRegion(x.r)) {
		if p.Type == typ {
			all = append(all, p)
		}
	}
	return pagedAnswer(q, "inferenceProfileSummaries", all)
}

// pagedAnswer answers the page of all that the query asks for, as the list member, with the
// nextToken of the next page when there is one.
func pagedAnswer[T any](q url.Values, member string, all []T) (answer, *Error) {
	page, next, e := paginate(q, all)
	if e != nil {
		return answer{}, e
	}
	out := map[string]any{member: page}
	if next != "" {
		out["nextToken"] = next
	}
	return jsonAnswer(out)
}

// getInferenceProfile answers GetInferenceProfile (GET
// /inference-profiles/{inferenceProfileIdentifier}), the identifier a profile's ID or ARN.
func (h *handler) getInferenceProfile(x *exchange) (answer, *Error) {
	id, err := url.PathUnescape(x.vars.Get("inferenceProfileIdentifier"))
	if err != nil {
		id = x.vars.Get("inferenceProfileIdentifier")
	}
	x.entry.ModelID = id
	for _, p := range h.inferenceProfiles(requestRegion(x.r)) {
		if id == p.InferenceProfileID || id == p.InferenceProfileArn ||
			p.Type == "SYSTEM_DEFINED" && strings.HasPrefix(id, "arn:") && strings.HasSuffix(id, ":inference-profile/"+p.InferenceProfileID) {
			return jsonAnswer(p)
		}
	}
	// unverified: Bedrock's message for an unknown profile was not found (docs/wire-facts.md
	// §7.11); the exception is the one the API model lists for this call.
	return answer{}, &Error{Type: "ResourceNotFoundException", Status: http.StatusNotFound,
		Message: "Inference profile " + id + " not found."}
}

func encodePageToken(offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(offset)))
}

func decodePageToken(tok string) (int, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return 0, false
	}
	s, ok := strings.CutPrefix(string(b), "offset:")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// jsonAnswer is a JSON body answer of v.
func jsonAnswer(v any) (answer, *Error) {
	b, err := json.Marshal(v)
	if err != nil {
		return answer{}, &Error{Type: "InternalServerException", Status: http.StatusInternalServerError, Message: err.Error()}
	}
	return answer{body: b}, nil
}
