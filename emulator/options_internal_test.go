package emulator

import (
	"context"
	"log/slog"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// TestWithEveryField: every Options field has a With* that sets it.
func TestWithEveryField(t *testing.T) {
	t.Parallel()
	b := BehaviourFunc(func(context.Context, *Call) (*Reply, error) { return nil, nil })
	withs := map[string]func(*Options){
		"Addr":         WithAddr("127.0.0.1:1"),
		"ModelsFile":   WithModelsFile("models.json"),
		"Recordings":   WithRecordings(b),
		"Behaviours":   WithBehaviour(b),
		"Fallback":     WithFallback(b),
		"Admin":        WithAdmin(AdminRoute{http.MethodGet, "/x", http.NotFoundHandler()}),
		"Auth":         WithAuth(AuthStrict),
		"Logger":       WithLogger(slog.New(slog.DiscardHandler)),
		"MaxBodyBytes": WithMaxBodyBytes(1),
		"JournalSize":  WithJournalSize(1),
		"Guardrails":   WithGuardrails(Guardrail{}),
		"Prompts":      WithPrompts(Prompt{}),
		"JournalBytes": WithJournalBytes(1),
		"ReadTimeout":  WithReadTimeout(time.Second),
		"StallTimeout": WithStallTimeout(time.Second),
		"Credentials":  WithCredentials(aws.Credentials{AccessKeyID: "AKID"}),
		"APIKeys":      WithAPIKeys("key"),
		"AdminToken":   WithAdminToken("token"),
		"DisableAdmin": WithDisableAdmin(true),
	}
	typ := reflect.TypeFor[Options]()
	for i := range typ.NumField() {
		name := typ.Field(i).Name
		with, ok := withs[name]
		if !ok {
			t.Errorf("Options.%s has no With*", name)
			continue
		}
		var o Options
		with(&o)
		if reflect.ValueOf(o).Field(i).IsZero() {
			t.Errorf("the With* of Options.%s does not set it", name)
		}
	}
	if len(withs) != typ.NumField() {
		t.Errorf("%d With* for %d fields", len(withs), typ.NumField())
	}
}
