package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"github.com/bedrock-emulator/bedrock-emulator/client"
	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// Target is where cases are sent: a Bedrock Runtime endpoint and how an AWS SDK client
// reaches it. The runner builds a client from Config and Options for every call and puts
// its own recording layer around the HTTP client, so a target that replays a cassette is
// just a Config whose HTTPClient answers from it.
type Target struct {
	// Name identifies the target in reports.
	Name string
	// Config is the AWS configuration clients are built from: region, credentials, HTTP
	// client, retryer. The zero Config is fine when Options set what is needed.
	Config aws.Config
	// Options apply after Config, e.g. client.Endpoint(url).
	Options []func(*bedrockruntime.Options)
	// Models maps model roles (ModelText, …) to the IDs used on this target; roles it
	// leaves out take DefaultModels.
	Models map[string]string
	// Region and Account fill "{region}" and "{account}" in model IDs (ARNs). A case that
	// needs an account the target does not have is skipped.
	Region, Account string
	// Guardrail is "ID:VERSION" of a guardrail to use where a case asks for one; a case
	// that needs one is skipped when it is empty.
	Guardrail string
	// Real says the answers are real Bedrock's (live or recorded): Case.Pending does not
	// apply, and a case whose model this account cannot use is skipped, not failed.
	Real bool
	// Deterministic says the same request always gets the same answer (the emulator), so
	// Expect.SameAs is checked.
	Deterministic bool
	// Unrecorded lists response headers that the target's answers may lack or carry
	// masked because the recordings they replay did not keep them (some recorders drop
	// every x-amzn-* header, others redact x-amzn-RequestId); checks of them are skipped.
	Unrecorded []string
	// MaxTokens, when positive, caps inferenceConfig.maxTokens of every request expected
	// to succeed, to keep real calls cheap.
	MaxTokens int
	// Parallel is how many cases run at once; 0 means 4.
	Parallel int

	close func() error
}

// Close releases what the target holds (a server it started). It is safe to call on any
// target, more than once.
func (t *Target) Close() error {
	if t.close == nil {
		return nil
	}
	f := t.close
	t.close = nil
	return f()
}

// emulatorRegion and emulatorAccount are what the emulator targets put in ARNs.
const (
	emulatorRegion  = client.Region
	emulatorAccount = "123456789012"
)

// InProcess starts an emulator in this process (emulator.NewServer with opts) and returns
// a target for it. The caller must Close the target. It panics if the emulator cannot
// listen, as emulator.NewServer does.
func InProcess(opts ...func(*emulator.Options)) *Target {
	define := func(o *emulator.Options) {
		o.Guardrails = append(o.Guardrails, conformanceGuardrail)
		o.Prompts = append(o.Prompts, conformancePrompt)
	}
	srv := emulator.NewServer(append([]func(*emulator.Options){define}, opts...)...)
	t := emulatorTarget("emulator (in-process)", srv.URL, true)
	t.close = func() error { srv.Close(); return nil }
	return t
}

// Endpoint returns a target for the Bedrock Runtime API at url: a served emulator, a
// container, or another emulator. It is taken as deterministic when it answers the
// emulator's health check (GET /_emulator/health) within five seconds.
func Endpoint(url string) *Target {
	url = strings.TrimSuffix(url, "/")
	emu := isEmulator(url)
	if emu {
		define(url, "guardrails", conformanceGuardrail.GuardrailID, conformanceGuardrail)
		define(url, "prompts", conformancePrompt.PromptID, conformancePrompt)
	}
	return emulatorTarget("endpoint "+url, url, emu)
}

// conformanceGuardrail is the guardrail the cases name on an emulator target
// (Target.Guardrail "conformance1:1"): it blocks nothing the cases send.
var conformanceGuardrail = emulator.Guardrail{
	GuardrailID:             "conformance1",
	Name:                    "conformance",
	Versions:                []string{"1"},
	BlockedInputMessaging:   "Sorry, the conformance guardrail blocked this input.",
	BlockedOutputsMessaging: "Sorry, the conformance guardrail blocked this output.",
}

// conformancePrompt is the prompt the ModelPrompt role names on an emulator target.
var conformancePrompt = emulator.Prompt{
	PromptID: "CONFPROMPT",
	Name:     "conformance",
	ModelID:  DefaultModels()[ModelText],
	Text:     PromptText,
}

// define adds a guardrail or a prompt (kind) to a served emulator over its admin API. An
// emulator that refuses (admin API off) keeps the cases that need it failing, saying why.
func define(url, kind, id string, v any) {
	body, _ := json.Marshal(v)
	req, err := http.NewRequest(http.MethodPut, url+emulator.AdminPrefix+"/"+kind+"/"+id, bytes.NewReader(body))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json")
	c := http.Client{Timeout: 5 * time.Second}
	if resp, err := c.Do(req); err == nil {
		resp.Body.Close()
	}
}

func emulatorTarget(name, url string, deterministic bool) *Target {
	return &Target{
		Name:   name,
		Config: aws.Config{HTTPClient: sharedHTTPClient()},
		Options: []func(*bedrockruntime.Options){
			client.Endpoint(url),
			// A retried 500 would only slow a failing case down.
			func(o *bedrockruntime.Options) { o.RetryMaxAttempts = 1 },
		},
		Region:        emulatorRegion,
		Account:       emulatorAccount,
		Guardrail:     "conformance1:1",
		Deterministic: deterministic,
	}
}

// sharedHTTPClient is an HTTP client for all the calls to one target. The runner makes an
// SDK client per call; given a BuildableClient (or none) each would copy it and keep
// connections of its own. A frozen client is used as it is, its connections reused.
func sharedHTTPClient() aws.HTTPClient { return awshttp.NewBuildableClient().Freeze() }

func isEmulator(url string) bool {
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url + emulator.AdminPrefix + "/health")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// ErrNoCredentials is returned by Bedrock when no AWS credentials or no region can be
// found; callers skip the real-Bedrock target on it rather than fail.
var ErrNoCredentials = errors.New("no AWS credentials or region for real Bedrock")

// BedrockMaxTokens is the maxTokens cap of the real-Bedrock target: enough for every
// case's answer, small enough that a full run costs a fraction of a cent.
const BedrockMaxTokens = 100

// Bedrock returns a target for real Amazon Bedrock in region (or, when region is empty,
// the region of the shared configuration, e.g. AWS_REGION), with credentials from the
// default chain: environment, shared files, SSO, container and instance roles. Calls cost
// money; the target caps maxTokens at BedrockMaxTokens and runs two cases at a time. The
// error wraps ErrNoCredentials when credentials or a region are missing.
func Bedrock(ctx context.Context, region string, optFns ...func(*config.LoadOptions) error) (*Target, error) {
	if region != "" {
		optFns = append(optFns, config.WithRegion(region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, optFns...)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoCredentials, err)
	}
	if cfg.Region == "" {
		return nil, fmt.Errorf("%w: set AWS_REGION or pass a region", ErrNoCredentials)
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoCredentials, err)
	}
	if b, ok := cfg.HTTPClient.(*awshttp.BuildableClient); ok {
		cfg.HTTPClient = b.Freeze() // see sharedHTTPClient
	}
	return &Target{
		Name:      "bedrock " + cfg.Region,
		Config:    cfg,
		Region:    cfg.Region,
		Real:      true,
		MaxTokens: BedrockMaxTokens,
		Parallel:  2,
	}, nil
}

// ParseModels reads model roles in the form "role=id,role=id" (as the -roles flag takes
// them) into a map.
func ParseModels(s string) (map[string]string, error) {
	m := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		kv = strings.TrimSpace(kv)
		if kv == "" {
			continue
		}
		role, id, ok := strings.Cut(kv, "=")
		if !ok || role == "" || id == "" {
			return nil, fmt.Errorf("models: %q is not role=id", kv)
		}
		m[role] = id
	}
	return m, nil
}

// model resolves a Request.Model on this target, or says why the target cannot run it.
func (t *Target) model(name string) (id, skip string) {
	id = name
	if m, ok := t.Models[name]; ok {
		id = m
	} else if d, ok := DefaultModels()[name]; ok {
		id = d
	}
	if strings.Contains(id, "{account}") {
		if t.Account == "" {
			return "", "the target has no AWS account ID for " + id + " (set Target.Account, -account)"
		}
		id = strings.ReplaceAll(id, "{account}", t.Account)
	}
	if strings.Contains(id, "{region}") {
		region := t.Region
		if region == "" {
			region = t.Config.Region
		}
		id = strings.ReplaceAll(id, "{region}", region)
	}
	return id, ""
}

// newClient is a Bedrock Runtime client for the target.
func (t *Target) newClient() *bedrockruntime.Client {
	return bedrockruntime.NewFromConfig(t.Config, t.Options...)
}
