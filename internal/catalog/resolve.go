package catalog

import "strings"

// Kind is the form of a model identifier.
type Kind string

// The kinds of model identifier Converse accepts (botocore's ConversationalModelId).
const (
	// KindFoundationModel is a foundation-model ID ("anthropic.claude-3-haiku-20240307-v1:0")
	// or its ARN ("arn:aws:bedrock:us-east-1::foundation-model/…").
	KindFoundationModel Kind = "foundation-model"
	// KindInferenceProfile is a cross-Region (system-defined) inference profile ID
	// ("us.anthropic.claude-3-5-sonnet-20241022-v2:0", "global.…") or its ARN
	// ("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.…").
	KindInferenceProfile Kind = "inference-profile"
	// KindApplicationInferenceProfile is an application inference profile ARN
	// ("…:application-inference-profile/1arbu5hu2sjr"); its model is not in its text.
	KindApplicationInferenceProfile Kind = "application-inference-profile"
	// KindProvisionedModel is a Provisioned Throughput ARN ("…:provisioned-model/abcdef123456").
	KindProvisionedModel Kind = "provisioned-model"
	// KindCustomModel is a custom model ARN ("…:custom-model/<base model ID>/abcdef123456").
	KindCustomModel Kind = "custom-model"
	// KindCustomModelDeployment is an on-demand custom model deployment ARN
	// ("…:custom-model-deployment/abcdef123456").
	KindCustomModelDeployment Kind = "custom-model-deployment"
	// KindImportedModel is an imported model ARN ("…:imported-model/abcdef123456").
	KindImportedModel Kind = "imported-model"
	// KindPrompt is a Prompt management ARN ("…:prompt/PROMPT12AB[:version]"). The model
	// is the prompt's; the emulator handles prompts elsewhere.
	KindPrompt Kind = "prompt"
	// KindPromptRouter is a prompt router ARN ("…:prompt-router/…" or
	// "…:default-prompt-router/anthropic.claude:1").
	KindPromptRouter Kind = "prompt-router"
	// KindSageMakerEndpoint is a SageMaker endpoint ARN
	// ("arn:aws:sagemaker:us-east-1:123456789012:endpoint/my-endpoint").
	KindSageMakerEndpoint Kind = "sagemaker-endpoint"
)

// Resolution is what a model identifier names.
type Resolution struct {
	// Kind is the form of the identifier.
	Kind Kind
	// Model is the model that answers. It is never nil when Resolve succeeds.
	Model *Model
	// Generic reports that Model is the catalogue's generic stand-in: the identifier is an
	// opaque ARN that no alias maps.
	Generic bool
	// Aliased reports that Model came from the catalogue's aliases section.
	Aliased bool
	// Profile is the geography prefix ("us", "eu", "global", …) of a cross-Region
	// inference profile, and "" for every other kind.
	Profile string
	// Partition, Region and Account come from an ARN ("aws", "us-east-1",
	// "123456789012"); they are "" for a bare ID, and Account is "" in foundation-model
	// ARNs.
	Partition, Region, Account string
	// Resource is the bare ID, or the part of an ARN after the resource type and its "/"
	// (for a prompt, without the version).
	Resource string
	// Version is a prompt ARN's version, "" if it has none.
	Version string
}

// Resolve says which model a modelId from a Converse or ConverseStream request path names,
// after URL-decoding. It accepts every form Bedrock accepts there: foundation-model IDs,
// cross-Region inference-profile IDs, and ARNs in any partition (aws, aws-cn, aws-us-gov,
// …) of foundation models, inference profiles, application inference profiles,
// provisioned models, custom models and their deployments, imported models, prompts,
// prompt routers and SageMaker endpoints.
//
// An ARN whose model cannot be read from its text resolves through the catalogue's
// aliases, and failing that to the generic model (Resolution.Generic). A custom-model
// ARN without an alias resolves to the base model named in it, if the catalogue has it.
//
// The error is an *InvalidModelError (matching ErrInvalidModel) for an identifier Bedrock
// would call invalid, including a profile prefix the model does not have, and a
// *NeedsProfileError (matching ErrNeedsProfile) for a foundation model that cannot be
// invoked on demand. BedrockMessage gives Bedrock's message for either.
//
// Resolve compiles nothing and allocates nothing when it succeeds: a bare ID is one map
// lookup, an ARN a scan of its text and one or two lookups.
func (c *Catalog) Resolve(modelID string) (Resolution, error) {
	if e, ok := c.index[modelID]; ok {
		if e.prefix != "" {
			return Resolution{Kind: KindInferenceProfile, Model: e.model, Profile: e.prefix, Resource: modelID}, nil
		}
		if !e.model.OnDemand {
			return Resolution{}, &NeedsProfileError{ModelID: modelID, Model: e.model}
		}
		return Resolution{Kind: KindFoundationModel, Model: e.model, Resource: modelID}, nil
	}
	if strings.HasPrefix(modelID, "arn:") {
		return c.resolveARN(modelID)
	}
	return Resolution{}, invalid(modelID, c.whyUnknown(modelID))
}

// whyUnknown explains, for people, why a bare identifier is not in the index.
func (c *Catalog) whyUnknown(id string) string {
	if prefix, rest, ok := strings.Cut(id, "."); ok {
		if e, known := c.index[rest]; known && e.prefix == "" {
			return "model " + quote(rest) + " has no " + quote(prefix) + " inference profile"
		}
	}
	return "no such model or inference profile"
}

// resolveARN resolves an identifier that starts with "arn:".
func (c *Catalog) resolveARN(id string) (Resolution, error) {
	a, ok := parseARN(id)
	if !ok {
		return Resolution{}, invalid(id, "not a Bedrock ARN that Converse accepts")
	}
	r := Resolution{Kind: a.kind, Partition: a.partition, Region: a.region, Account: a.account, Resource: a.resource, Version: a.version}
	switch a.kind {
	case KindFoundationModel:
		e, ok := c.index[a.resource]
		if !ok || e.prefix != "" {
			return Resolution{}, invalid(id, "no such foundation model")
		}
		if !e.model.OnDemand {
			// inference: Bedrock's message quotes the identifier as given, as it does for
			// bare IDs; no capture with a foundation-model ARN was found.
			return Resolution{}, &NeedsProfileError{ModelID: id, Model: e.model}
		}
		r.Model = e.model
		return r, nil
	case KindInferenceProfile:
		e, ok := c.index[a.resource]
		if !ok || e.prefix == "" {
			return Resolution{}, invalid(id, c.whyUnknown(a.resource))
		}
		r.Model, r.Profile = e.model, e.prefix
		return r, nil
	}
	if m, ok := c.aliases[id]; ok {
		r.Model, r.Aliased = m, true
		return r, nil
	}
	if a.kind == KindPrompt && a.version != "" {
		// An alias for the prompt covers each of its versions.
		if m, ok := c.aliases[id[:len(id)-len(a.version)-1]]; ok {
			r.Model, r.Aliased = m, true
			return r, nil
		}
	}
	if a.kind == KindCustomModel {
		if m := c.baseModel(a.base); m != nil {
			r.Model = m
			return r, nil
		}
	}
	r.Model, r.Generic = c.generic, true
	return r, nil
}

// baseModel returns the foundation model a custom-model ARN names, trying the ID as
// written and then without its trailing ":…" parts ("amazon.titan-text-express-v1:0:8k").
func (c *Catalog) baseModel(base string) *Model {
	for {
		if e, ok := c.index[base]; ok && e.prefix == "" {
			return e.model
		}
		i := strings.LastIndexByte(base, ':')
		if i < 0 {
			return nil
		}
		base = base[:i]
	}
}

// arn is a parsed model ARN; every string is a substring of the input.
type arn struct {
	kind                       Kind
	partition, region, account string
	resource                   string // after "type/"; for a prompt, without the version
	version                    string // a prompt's version
	base                       string // a custom model's base model ID
}

// parseARN parses and checks a model ARN against the forms of botocore's
// ConversationalModelId pattern, without regular expressions.
func parseARN(s string) (arn, bool) {
	var a arn
	rest, ok := strings.CutPrefix(s, "arn:")
	if !ok {
		return a, false
	}
	var service, resource string
	a.partition, rest, _ = strings.Cut(rest, ":")
	service, rest, _ = strings.Cut(rest, ":")
	a.region, rest, _ = strings.Cut(rest, ":")
	a.account, resource, ok = strings.Cut(rest, ":")
	if !ok {
		return a, false
	}
	typ, id, ok := strings.Cut(resource, "/")
	if !ok {
		return a, false
	}
	if service == "sagemaker" {
		// The pattern allows only the aws partition here, and any Region length.
		ok = a.partition == "aws" && typ == "endpoint" && a.region != "" && all(a.region, isRegionChar) &&
			isAccount(a.account) && id != "" && all(id, isNameChar)
		a.kind, a.resource = KindSageMakerEndpoint, id
		return a, ok
	}
	if service != "bedrock" || !isPartition(a.partition) || len(a.region) < 1 || len(a.region) > 20 || !all(a.region, isRegionChar) {
		return a, false
	}
	a.resource = id
	if typ == "foundation-model" {
		// The ID itself is checked against the catalogue.
		a.kind = KindFoundationModel
		return a, a.account == "" && id != ""
	}
	if !isAccount(a.account) {
		return a, false
	}
	switch typ {
	case "inference-profile":
		a.kind = KindInferenceProfile
		return a, id != "" && all(id, isProfileChar)
	case "application-inference-profile":
		a.kind = KindApplicationInferenceProfile
		return a, id != "" && all(id, isProfileChar)
	case "provisioned-model":
		a.kind = KindProvisionedModel
		return a, isOpaqueID(id)
	case "custom-model-deployment":
		a.kind = KindCustomModelDeployment
		return a, isOpaqueID(id)
	case "imported-model":
		a.kind = KindImportedModel
		return a, isOpaqueID(id)
	case "custom-model":
		a.kind = KindCustomModel
		i := strings.LastIndexByte(id, '/')
		if i < 0 {
			return a, false
		}
		a.base = id[:i]
		return a, isCustomBase(a.base) && isOpaqueID(id[i+1:])
	case "prompt":
		a.kind = KindPrompt
		name, version, versioned := strings.Cut(id, ":")
		a.resource, a.version = name, version
		return a, len(name) == 10 && all(name, isAlnum) &&
			(!versioned || len(version) >= 1 && len(version) <= 5 && all(version, isDigit))
	case "prompt-router", "default-prompt-router":
		a.kind = KindPromptRouter
		return a, id != "" && all(id, isProfileChar)
	}
	return a, false
}

// isPartition matches "aws(-[^:]+)?"; the caller has already split on ':'.
func isPartition(p string) bool {
	return p == "aws" || strings.HasPrefix(p, "aws-") && len(p) > len("aws-")
}

// isCustomBase matches a custom model's base: [a-z0-9-]{1,63} "." [a-z0-9-]{1,63} then
// at most two ":"[a-z0-9-]{1,63} parts.
func isCustomBase(s string) bool {
	provider, rest, ok := strings.Cut(s, ".")
	if !ok || !isSegment(provider) {
		return false
	}
	for n := 0; ; n++ {
		name, more, cut := strings.Cut(rest, ":")
		if !isSegment(name) || n > 2 {
			return false
		}
		if !cut {
			return true
		}
		rest = more
	}
}

func isSegment(s string) bool { return len(s) >= 1 && len(s) <= 63 && all(s, isLowerDigitHyphen) }

func isOpaqueID(s string) bool { return len(s) == 12 && all(s, isLowerDigit) }

func isAccount(s string) bool { return len(s) == 12 && all(s, isDigit) }

func all(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isDigit(b byte) bool            { return b >= '0' && b <= '9' }
func isLower(b byte) bool            { return b >= 'a' && b <= 'z' }
func isAlnum(b byte) bool            { return isDigit(b) || isLower(b) || b >= 'A' && b <= 'Z' }
func isLowerDigit(b byte) bool       { return isDigit(b) || isLower(b) }
func isLowerDigitHyphen(b byte) bool { return isLowerDigit(b) || b == '-' }
func isRegionChar(b byte) bool       { return isLowerDigitHyphen(b) }
func isProfileChar(b byte) bool      { return isAlnum(b) || b == '-' || b == ':' || b == '.' }
func isNameChar(b byte) bool         { return isAlnum(b) || b == '-' }
