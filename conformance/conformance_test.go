package conformance_test

import (
	"bufio"
	"errors"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/bedrock-emulator/bedrock-emulator/conformance"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// Targets other than the in-process emulator are chosen explicitly, by flag (go test
// ./conformance -args -bedrock) or, where flags do not reach (go test ./...), by
// environment variable.
var (
	endpointFlag  = flag.String("endpoint", os.Getenv("CONFORMANCE_ENDPOINT"), "also run the suite against the Bedrock Runtime endpoint at this URL (env CONFORMANCE_ENDPOINT)")
	bedrockFlag   = flag.Bool("bedrock", os.Getenv("CONFORMANCE_BEDROCK") == "1", "also run the suite against real Amazon Bedrock; costs money (env CONFORMANCE_BEDROCK=1)")
	regionFlag    = flag.String("region", os.Getenv("CONFORMANCE_REGION"), "Region of real Bedrock; default AWS_REGION or the shared config (env CONFORMANCE_REGION)")
	rolesFlag     = flag.String("roles", os.Getenv("CONFORMANCE_ROLES"), "model roles for real Bedrock, role=id,… (env CONFORMANCE_ROLES)")
	accountFlag   = flag.String("account", os.Getenv("CONFORMANCE_ACCOUNT"), "AWS account ID for the ARN cases on real Bedrock (env CONFORMANCE_ACCOUNT)")
	guardrailFlag = flag.String("guardrail", os.Getenv("CONFORMANCE_GUARDRAIL"), "ID:VERSION of a guardrail on real Bedrock (env CONFORMANCE_GUARDRAIL)")
	recordFlag    = flag.String("record", os.Getenv("CONFORMANCE_RECORD"), "with -bedrock, record the run to this cassette, e.g. testdata/bedrock.yaml (env CONFORMANCE_RECORD)")
	cassetteFlag  = flag.String("cassette", os.Getenv("CONFORMANCE_CASSETTE"), "replay this cassette of a real run (env CONFORMANCE_CASSETTE); default testdata/bedrock.yaml when it exists")
)

func TestMain(m *testing.M) { testkit.Main(m) }

// The default target: the emulator in this process.
func TestInProcess(t *testing.T) {
	t.Parallel()
	target := conformance.InProcess()
	t.Cleanup(func() { target.Close() })
	conformance.Test(t, target, conformance.Cases())
}

// The emulator as users run it: the binary, built and served on a free port.
func TestServed(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and serves the binary; not in -short mode")
	}
	t.Parallel()
	cmd := exec.Command(testkit.Binary(t, "../cmd/bedrock-emulator"), "serve", "--addr", "127.0.0.1:0", "--log-level", "error")
	dieWithTest(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	url := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		url <- strings.TrimSpace(line)
	}()
	select {
	case u := <-url:
		if !strings.HasPrefix(u, "http://") {
			t.Fatalf("serve printed %q, want its URL", u)
		}
		target := conformance.Endpoint(u)
		target.Deterministic = true // it is the emulator, whether or not its health check beat a loaded machine's clock
		conformance.Test(t, target, conformance.Cases())
	case <-time.After(30 * time.Second):
		t.Fatal("serve printed no URL in 30s")
	}
}

// Endpoint takes a server that answers the emulator's health check as deterministic.
func TestEndpointDeterministic(t *testing.T) {
	t.Parallel()
	emu := httptest.NewServer(newHandler(t))
	t.Cleanup(emu.Close)
	other := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(other.Close)
	if !conformance.Endpoint(emu.URL).Deterministic {
		t.Errorf("the emulator at %s is not taken as deterministic", emu.URL)
	}
	if conformance.Endpoint(other.URL).Deterministic {
		t.Errorf("a server without the health check is taken as deterministic")
	}
}

// Any endpoint, when asked for.
func TestEndpoint(t *testing.T) {
	if *endpointFlag == "" {
		t.Skip("no endpoint given: run with -endpoint URL or CONFORMANCE_ENDPOINT=URL")
	}
	t.Parallel()
	conformance.Test(t, conformance.Endpoint(*endpointFlag), conformance.Cases())
}

// Real Amazon Bedrock, when asked for and when credentials and a region are found.
func TestBedrock(t *testing.T) {
	if !*bedrockFlag {
		t.Skip("real Bedrock not asked for: run with -bedrock or CONFORMANCE_BEDROCK=1 (needs AWS credentials and a region; a full run costs well under a dollar)")
	}
	target, err := conformance.Bedrock(t.Context(), *regionFlag)
	if errors.Is(err, conformance.ErrNoCredentials) {
		t.Skipf("real Bedrock asked for, but: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if target.Models, err = conformance.ParseModels(*rolesFlag); err != nil {
		t.Fatal(err)
	}
	target.Account, target.Guardrail = *accountFlag, *guardrailFlag
	if *recordFlag != "" {
		if target, err = conformance.Record(target, *recordFlag); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		if err := target.Close(); err != nil {
			t.Errorf("closing %s: %v", target.Name, err)
		}
	})
	conformance.Test(t, target, conformance.Cases())
}

// A cassette of a real run (recorded with -bedrock -record), replayed offline: the answers
// of real Bedrock held to every case it recorded.
func TestCassette(t *testing.T) {
	path := *cassetteFlag
	if path == "" {
		path = "testdata/bedrock.yaml"
		if _, err := os.Stat(path); err != nil {
			t.Skip("no cassette of a real run: record one with -bedrock -record " + path + " (see the README)")
		}
	}
	t.Parallel()
	target, err := conformance.Cassette(path)
	if err != nil {
		t.Fatal(err)
	}
	if target.Models, err = conformance.ParseModels(*rolesFlag); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { target.Close() })
	conformance.Test(t, target, conformance.Cases())
}
