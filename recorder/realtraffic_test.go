package recorder_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/fixtures"
	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
	"github.com/bedrock-emulator/bedrock-emulator/recorder"
)

// realTraffic is the project's collection of real Bedrock recordings; its SOURCES.md gives
// each file's repository, path, commit and licence.
var realTraffic = testkit.RealTraffic()

// notReplayed are the real-traffic files and interactions that are not replayed, and why.
// Everything else that holds Converse or ConverseStream traffic must replay.
var notReplayed = map[string]string{
	"vercel-ai/bedrock-invalid-tool-name-validation-error.json": "a bare error body: no status, model or request",
	"vercel-ai/issue-17523-unknown-operation.json":              "a bare body answering a path that is no operation (the emulator answers it itself)",
	"dd-trace-py/bedrock_converse_inference_profile.yaml #0":    "GET of the control plane's inference profile, not Bedrock Runtime",
}

// TestRealTrafficReplays imports every real recording of Converse and ConverseStream and
// replays each interaction to the AWS SDK for Go v2 twice: through the emulator (fixtures,
// strict) and straight from the cassette (the recorder's transport). The SDK sends the
// recorded request body; it must decode every response (a modeled error is decoded too),
// and both replays must give it the same result. The test lists what it replayed.
func TestRealTrafficReplays(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join(realTraffic, "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	skipped := map[string]string{}
	replayed := 0
	for _, file := range files {
		name := strings.TrimPrefix(file, realTraffic+"/")
		if filepath.Base(file) == "SOURCES.md" {
			continue
		}
		c, _, err := testkit.ImportReal(name)
		if err != nil {
			skipped[name] = err.Error()
			continue
		}
		path := filepath.Join(t.TempDir(), "imported.yaml")
		for _, i := range c.Interactions {
			cassette.Redact(i)
		}
		if err := c.Save(path); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Run(name, func(t *testing.T) {
			cas, err := fixtures.LoadCassettes([]string{path}, fixtures.WithStrict(true), fixtures.WithOnce(true))
			if err != nil {
				t.Fatal(err)
			}
			srv := emulator.NewServer(cas.Install)
			defer srv.Close()
			rec, err := recorder.New(path, recorder.WithMode(recorder.ModeReplayOnly))
			if err != nil {
				t.Fatal(err)
			}
			var other []string // interactions that are not Converse or ConverseStream
			for _, i := range c.Interactions {
				op, model, ok := api.ModelOperation(i.Request.URL)
				if !ok || op != api.Converse && op != api.ConverseStream {
					if !ok { // InvokeModel and CountTokens are not this test's, and not listed
						skipped[fmt.Sprintf("%s #%d", name, i.ID)] = i.Request.Method + " " + i.Request.URL
					}
					other = append(other, fmt.Sprintf("%s #%d", path, i.ID))
					continue
				}
				body := withBody(i.Request.Body)
				viaEmulator := call(t, testkit.Client(srv.URL, body), op, model)
				direct := call(t, bedrockruntime.New(bedrockruntime.Options{RetryMaxAttempts: 1}, rec.Bedrock(), body), op, model)
				if diff := cmp.Diff(direct, viaEmulator, everything); diff != "" {
					t.Errorf("#%d %s %s: straight from the cassette vs through the emulator (-direct +emulator):\n%s", i.ID, op, model, diff)
				}
				t.Logf("replayed #%d %s %s: %s", i.ID, op, model, viaEmulator.summary())
				replayed++
			}
			// Every Converse and ConverseStream interaction was answered by the cassette, none
			// by the emulator itself.
			if diff := cmp.Diff(other, cas.Unplayed(), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("interactions the emulator answered itself (-want +got):\n%s", diff)
			}
		})
	}
	var got []string
	for k := range skipped {
		got = append(got, k)
	}
	var want []string
	for k := range notReplayed {
		want = append(want, k)
	}
	sort.Strings(got)
	sort.Strings(want)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("not replayed (-expected +actual):\n%s\nwhy: %v", diff, skipped)
	}
	if replayed < 40 {
		t.Errorf("replayed %d interactions, want every Converse and ConverseStream one (at least 40)", replayed)
	}
	t.Logf("replayed %d real interactions; not replayed: %v", replayed, skipped)
}

// withBody sends body, the recorded request body, in place of the one the SDK serialized
// (the SDK still computes its length, hash and signature); an empty one is left alone.
func withBody(body string) func(*bedrockruntime.Options) {
	return func(o *bedrockruntime.Options) {
		if body == "" {
			return
		}
		o.APIOptions = append(o.APIOptions, func(s *middleware.Stack) error {
			return s.Serialize.Add(middleware.SerializeMiddlewareFunc("RecordedBody",
				func(ctx context.Context, in middleware.SerializeInput, next middleware.SerializeHandler) (middleware.SerializeOutput, middleware.Metadata, error) {
					req := in.Request.(*smithyhttp.Request)
					req, err := req.SetStream(bytes.NewReader([]byte(body)))
					if err != nil {
						return middleware.SerializeOutput{}, middleware.Metadata{}, err
					}
					req.ContentLength = int64(len(body))
					in.Request = req
					return next.HandleSerialize(ctx, in)
				}), middleware.After)
		})
	}
}

// outcome is what the SDK made of one response.
type outcome struct {
	Output *bedrockruntime.ConverseOutput // less its metadata
	Events []string                       // a stream's events, as JSON
	Err    string                         // a modeled error: code and message
}

func (o outcome) summary() string {
	switch {
	case o.Events != nil && o.Err != "":
		return fmt.Sprintf("%d events, then %s", len(o.Events), o.Err)
	case o.Events != nil:
		return fmt.Sprintf("%d events", len(o.Events))
	case o.Err != "":
		return o.Err
	}
	return fmt.Sprintf("%s, %d+%d tokens", o.Output.StopReason, aws.ToInt32(o.Output.Usage.InputTokens), aws.ToInt32(o.Output.Usage.OutputTokens))
}

// call makes one Converse or ConverseStream call with a placeholder request, which withBody
// replaces where the recording has one.
func call(t *testing.T, brt *bedrockruntime.Client, op, model string) outcome {
	t.Helper()
	if op == api.Converse {
		out, err := brt.Converse(context.Background(), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: userSays("Hello")})
		if err != nil {
			return outcome{Err: apiErr(t, err)}
		}
		out.ResultMetadata = middleware.Metadata{}
		return outcome{Output: out}
	}
	r := goStream(t, brt, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model), Messages: userSays("Hello")})
	if r.Events == nil && r.Err == "" {
		r.Events = []string{}
	}
	return outcome{Events: r.Events, Err: r.Err}
}

// everything compares unexported fields too: the SDK keeps document values (tool input,
// additional model response fields) in them.
var everything = cmp.Exporter(func(reflect.Type) bool { return true })
