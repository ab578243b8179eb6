package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"runtime"
	"strings"
	"time"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/fixtures"
	"github.com/bedrock-emulator/bedrock-emulator/internal/logbuf"
	"github.com/bedrock-emulator/bedrock-emulator/upstream"
)

var serveCmd = &command{name: "serve", summary: "serve the emulator", help: `usage: bedrock-emulator serve [flags]

Serves the emulated Bedrock Runtime API (Converse, ConverseStream, InvokeModel,
InvokeModelWithResponseStream, CountTokens, ApplyGuardrail) and the admin API under
/_emulator until SIGINT or SIGTERM. Prints its URL on stdout and one line per request on
stderr (within a few milliseconds; under load, several lines a write). Requests a cassette
(--cassette) holds get the recorded answer, whatever the scripts say; scripts (--script)
answer what they match, then a real model (--upstream) when one is given, and the default
generator everything else.

examples:
  bedrock-emulator serve
  bedrock-emulator serve --addr 0.0.0.0:8080 --models my-models.json
  bedrock-emulator serve --script agent.yaml --script scripts/ --strict --throttle-every 10
  bedrock-emulator serve --cassette testdata/session.yaml --cassette-strict
  bedrock-emulator serve --upstream http://127.0.0.1:11434 --upstream-model llama3.2
  BEDROCK_EMULATOR_CREDENTIALS=AKIAEXAMPLE:secret bedrock-emulator serve --auth strict
`, flags: serveFlags}

// serveFlags defines serve's flags. Secrets (--credentials, --api-keys, --admin-token,
// --upstream-api-key) are better set by their environment variables, as a command line is
// visible to every user of the machine; no default shows one, so no help prints one.
func serveFlags(fs *flag.FlagSet) runFunc {
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on; port 0 picks a free port")
	models := fs.String("models", "", "JSON file of models to add to the built-in catalogue")
	logger := logFlags(fs)
	auth := fs.String("auth", "any", "which requests to accept: any (SigV4 or Bearer, unverified), strict (verified against --credentials and --api-keys) or none")
	credentials := fs.String("credentials", "", "AWS credentials --auth strict accepts, KEY:SECRET or KEY:SECRET:SESSION_TOKEN, comma-separated")
	apiKeys := fs.String("api-keys", "", "Bedrock API keys --auth strict accepts as Bearer tokens, comma-separated")
	adminToken := fs.String("admin-token", "", "require 'Authorization: Bearer TOKEN' (or the cookie that opening /_emulator/ui/?token=TOKEN sets) on the admin API, all but /_emulator/health")
	noAdmin := fs.Bool("no-admin", false, "turn the admin API off, all but /_emulator/health")
	guardrails := fs.String("guardrails", "", "JSON or YAML file of guardrail definitions")
	prompts := fs.String("prompts", "", "JSON or YAML file of Prompt management prompts")
	tools := fs.String("tools", "auto", "when the default answer calls a tool under toolChoice auto: auto (when the last user message makes one relevant) or never")
	var scripts, cassettes list
	fs.Var(&scripts, "script", "YAML script, or a directory of them, answering requests; repeatable")
	strict := fs.Bool("strict", false, "answer requests no script rule matches with an error naming the closest rule")
	var faults fixtures.Faults
	fs.IntVar(&faults.ThrottleEvery, "throttle-every", 0, "throttle every Nth request")
	fs.Float64Var(&faults.ThrottleRate, "throttle-rate", 0, "throttle this fraction of requests, drawn from --fault-seed")
	throttleError := fs.String("throttle-error", "", "exception type of throttled requests; default ThrottlingException")
	fs.DurationVar(&faults.Latency, "latency", 0, "delay every request this long")
	fs.DurationVar(&faults.LatencyJitter, "latency-jitter", 0, "delay every request up to this much more, at random")
	fs.IntVar(&faults.DropEvery, "drop-every", 0, "break the connection of every Nth stream")
	fs.Float64Var(&faults.DropRate, "drop-rate", 0, "break the connection of this fraction of streams")
	fs.IntVar(&faults.DropAfter, "drop-after", 0, "events a broken stream sends first")
	fs.Uint64Var(&faults.Seed, "fault-seed", 0, "seed of the random faults")
	fs.Var(&cassettes, "cassette", "cassette to replay, or a directory of them; repeatable")
	timing := fs.Bool("cassette-timing", false, "replay cassettes with their recorded timing")
	cassetteStrict := fs.Bool("cassette-strict", false, "answer requests no cassette matches with an error showing the closest recording")
	upstreamURL := fs.String("upstream", "", "OpenAI-compatible chat completions server (Ollama, vLLM, llama.cpp, LM Studio, LiteLLM) answering what cassettes and scripts leave, instead of the default generator, e.g. http://127.0.0.1:11434")
	var upstreamModels commaList
	fs.Var(&upstreamModels, "upstream-model", "upstream model of the Bedrock model IDs a pattern matches, 'anthropic.claude-*=llama3.2', or a default, 'llama3.2'; repeatable, the first match wins; a --models entry's upstreamModel comes before the default; by default the Bedrock model ID")
	upstreamKey := fs.String("upstream-api-key", "", "API key sent to --upstream as a Bearer token (better set as BEDROCK_EMULATOR_UPSTREAM_API_KEY)")
	upstreamTimeout := fs.Duration("upstream-timeout", upstream.DefaultTimeout, "how long one --upstream request may take before the call fails with ModelTimeoutException")
	idSeed := fs.String("request-id-seed", "", "derive the x-amzn-RequestId of each request from this seed and its number, the same every run; by default they differ from run to run")
	grace := fs.Duration("shutdown-grace", 30*time.Second, "how long a stop (SIGINT, SIGTERM) waits for the requests in flight to finish")
	journalSize := fs.Int("journal-size", emulator.DefaultJournalSize, "how many requests the journal (GET /_emulator/requests, the inspector at /_emulator/ui/) keeps, the oldest dropped first")
	journalBytes := fs.Int("journal-bytes", emulator.DefaultJournalBytes, "how many bytes of bodies the journal keeps; past it the oldest entries lose their bodies")

	return func(ctx context.Context, _ []string, stdout, stderr io.Writer) error {
		// The request lines are batched into fewer writes (a write system call a request
		// cost the served binary throughput); Close writes out the last of them.
		lines := logbuf.New(stderr, logDelay)
		defer lines.Close()
		defer runtime.KeepAlive(heapFloor())
		log, err := logger(lines)
		if err != nil {
			return err
		}
		mode, err := emulator.ParseAuthMode(*auth)
		if err != nil {
			return fmt.Errorf("--auth: %w", err)
		}
		creds, err := emulator.ParseCredentials(*credentials)
		if err != nil {
			return fmt.Errorf("--credentials: %w", err)
		}
		toolPolicy, err := emulator.ParseToolPolicy(*tools)
		if err != nil {
			return fmt.Errorf("--tools: %w", err)
		}
		if *journalSize < 1 || *journalBytes < 1 {
			return fmt.Errorf("--journal-size and --journal-bytes must be at least 1, not %d and %d", *journalSize, *journalBytes)
		}
		keys := emulator.ParseList(*apiKeys)
		if mode == emulator.AuthStrict && len(creds) == 0 && len(keys) == 0 {
			return errors.New("--auth strict needs --credentials or --api-keys (or BEDROCK_EMULATOR_CREDENTIALS, BEDROCK_EMULATOR_API_KEYS)")
		}
		opts := []func(*emulator.Options){emulator.WithAddr(*addr), emulator.WithLogger(log), emulator.WithModelsFile(*models),
			emulator.WithAuth(mode), emulator.WithCredentials(creds...), emulator.WithAPIKeys(keys...),
			emulator.WithAdminToken(*adminToken), emulator.WithDisableAdmin(*noAdmin),
			emulator.WithRequestIDSeed(*idSeed), emulator.WithTools(toolPolicy),
			emulator.WithJournalSize(*journalSize), emulator.WithJournalBytes(*journalBytes)}

		loaded, err := fixtures.LoadScripts(scripts...)
		if err != nil {
			return fmt.Errorf("--script: %w", first(err))
		}
		if *throttleError != "" {
			if faults.ThrottleError, err = emulator.NewError(*throttleError, ""); err != nil {
				return fmt.Errorf("--throttle-error: %w", err)
			}
		}
		if s, err := fixtures.FaultScript("fault flags", faults); err != nil {
			return fmt.Errorf("fault flags: %w", first(err))
		} else if s != nil {
			loaded = append(loaded, s)
		}
		set := fixtures.NewSet(loaded...)
		set.SetStrict(*strict)
		opts = append(opts, set.Install)
		// banner is the start line's account of what was loaded.
		banner := []any{"auth", mode.String()}
		var names []string
		for _, sc := range set.Status().Scripts {
			names = append(names, fmt.Sprintf("%s (%d rules)", sc.Name, len(sc.Rules)))
		}
		banner = append(banner, "scripts", strings.Join(names, ", "), "strict", *strict)
		// Without --cassette, no cassette answers; GET /_emulator/cassettes lists none.
		cas, err := fixtures.LoadCassettes(cassettes, fixtures.WithRecordedTiming(*timing), fixtures.WithStrict(*cassetteStrict))
		if err != nil {
			return fmt.Errorf("--cassette: %w", err)
		}
		opts = append(opts, cas.Install)
		if len(cassettes) > 0 {
			banner = append(banner, "cassettes", fmt.Sprintf("%s (%d interactions)", strings.Join(cassettes, ", "), cas.Len()))
		}
		if *upstreamURL != "" {
			cfg := upstream.Config{URL: *upstreamURL, APIKey: *upstreamKey, Timeout: *upstreamTimeout, Logger: log}
			for _, s := range upstreamModels.list {
				m, err := upstream.ParseMapping(s)
				if err != nil {
					return fmt.Errorf("--upstream-model: %w", err)
				}
				cfg.Models = append(cfg.Models, m)
			}
			up, err := upstream.New(cfg)
			if err != nil {
				return fmt.Errorf("--upstream: %w", err)
			}
			opts = append(opts, up.Install)
			banner = append(banner, "upstream", *upstreamURL)
		}
		if *guardrails != "" {
			gs, err := emulator.LoadGuardrails(*guardrails)
			if err != nil {
				return fmt.Errorf("--guardrails: %w", err)
			}
			opts = append(opts, emulator.WithGuardrails(gs...))
			var ids []string
			for _, g := range gs {
				ids = append(ids, g.GuardrailID)
			}
			banner = append(banner, "guardrails", strings.Join(ids, ", "))
		}
		if *prompts != "" {
			ps, err := emulator.LoadPrompts(*prompts)
			if err != nil {
				return fmt.Errorf("--prompts: %w", err)
			}
			opts = append(opts, emulator.WithPrompts(ps...))
			var ids []string
			for _, p := range ps {
				ids = append(ids, p.PromptID)
			}
			banner = append(banner, "prompts", strings.Join(ids, ", "))
		}

		srv, err := emulator.Start(opts...)
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		fmt.Fprintln(stdout, srv.URL)
		admin := srv.URL + emulator.AdminPrefix
		switch {
		case *noAdmin:
			admin = "off (--no-admin)"
		case *adminToken != "":
			admin += " (Authorization: Bearer <--admin-token>)"
		}
		log.Info("serving", append([]any{"url", srv.URL, "admin", admin}, banner...)...)
		if !*noAdmin && *adminToken == "" && !loopback(srv.Listener.Addr()) {
			log.Warn("the admin API (/_emulator) is open to every host that reaches " + srv.Listener.Addr().String() +
				": it can load scripts, cassettes and guardrails; set --admin-token (BEDROCK_EMULATOR_ADMIN_TOKEN) or --no-admin")
		}
		<-ctx.Done()
		log.Info("stopping: waiting for the requests in flight", "grace", *grace)
		shutdown, cancel := context.WithTimeout(context.Background(), *grace)
		defer cancel()
		if err := srv.Shutdown(shutdown); err != nil {
			return fmt.Errorf("serve: requests still in flight after --shutdown-grace %v; stopped without them", *grace)
		}
		log.Info("stopped")
		return nil
	}
}

// logDelay is the longest a log line of serve waits to be written with the ones after it.
const logDelay = 2 * time.Millisecond

// loopback reports whether addr is a loopback address, reachable from this machine only.
func loopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// first keeps an error to one line: the first of several, saying how many more there are.
func first(err error) error {
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		if errs := joined.Unwrap(); len(errs) > 1 {
			return fmt.Errorf("%w (and %d more)", errs[0], len(errs)-1)
		}
	}
	return err
}
