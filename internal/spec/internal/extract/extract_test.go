package extract

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestGenerateMini(t *testing.T) {
	t.Parallel()
	got, err := Generate(filepath.Join("testdata", "mini-service-2.json"))
	if err != nil {
		t.Fatal(err)
	}
	// Documentation is dropped, keys are sorted, members keep model order
	// (zeta before alpha), one operation or shape per line.
	want := `{"metadata":{"apiVersion":"2023-09-30","endpointPrefix":"bedrock-runtime","protocol":"rest-json","serviceId":"Bedrock Runtime","signingName":"bedrock","uid":"bedrock-runtime-2023-09-30"},
"operations":{
"Converse":{"method":"POST","requestUri":"/model/{modelId}/converse","responseCode":200,"input":"ConverseRequest","output":"ConverseResponse","errors":["ValidationException"]}
},
"shapes":{
"Bytes":{"type":"blob","sensitive":true,"streaming":true},
"ConverseRequest":{"type":"structure","members":[{"name":"modelId","target":"ModelId","location":"uri","locationName":"modelId","required":true},{"name":"zeta","target":"Tokens"},{"name":"alpha","target":"Role"}]},
"ConverseResponse":{"type":"structure","members":[{"name":"blob","target":"Bytes"}],"payload":"blob"},
"ModelId":{"type":"string","min":1,"max":2048,"pattern":"[a-z.:-]+"},
"Role":{"type":"string","enum":["user","assistant"]},
"Temperature":{"type":"float","min":0,"max":1},
"Tokens":{"type":"integer","min":1},
"ValidationException":{"type":"structure","members":[{"name":"message","target":"Role"}],"error":400}
}
}
`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("Generate mismatch (-want +got):\n%s", diff)
	}
}

func TestGenerateGzip(t *testing.T) {
	t.Parallel()
	plain, err := os.ReadFile(filepath.Join("testdata", "mini-service-2.json"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(plain)
	zw.Close()
	gz := filepath.Join(t.TempDir(), "service-2.json.gz")
	if err := os.WriteFile(gz, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	fromGz, err := Generate(gz)
	if err != nil {
		t.Fatal(err)
	}
	fromPlain, err := Generate(filepath.Join("testdata", "mini-service-2.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fromGz, fromPlain) {
		t.Error("gzipped and plain models give different extracts")
	}
}

func TestConvertRejectsBrokenModels(t *testing.T) {
	t.Parallel()
	for _, data := range []string{
		`not json`,
		`{"shapes":{"A":{"type":"list","member":{"shape":"Missing"}}}}`,
		`{"shapes":{"A":{"type":"structure","members":[]}}}`,
	} {
		if _, err := Convert([]byte(data)); err == nil {
			t.Errorf("Convert(%s) = nil error, want one", data)
		}
	}
}

func TestLocateEnv(t *testing.T) {
	t.Setenv(EnvModel, "/some/where/service-2.json")
	got, err := Locate()
	if err != nil || got != "/some/where/service-2.json" {
		t.Errorf("Locate() = %q, %v; want the $%s path", got, err, EnvModel)
	}
}

// A pattern Java accepts and Go's RE2 cannot compile (a repeat count above 1000, as
// botocore's bedrock model has in kBS3Uri) is kept as it is, and the model extracts.
func TestConvertKeepsPatternsRE2CannotCompile(t *testing.T) {
	t.Parallel()
	const pattern = `s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/.{1,1024}`
	s, err := Convert([]byte(`{"shapes":{"kBS3Uri":{"type":"string","min":1,"max":1024,"pattern":` + strconv.Quote(pattern) + `}}}`))
	if err != nil {
		t.Fatalf("Convert: %v", err)
	}
	if got := s.Shapes["kBS3Uri"].Pattern; got != pattern {
		t.Errorf("pattern %q, want %q", got, pattern)
	}
}

// botocore's bedrock (control-plane) model extracts, as bedrock-runtime's does.
func TestGenerateBedrockModel(t *testing.T) {
	t.Parallel()
	path, err := LocateIn(ControlModelRel)
	if err != nil {
		t.Skipf("botocore's bedrock model is not available: %v", err)
	}
	if _, err := Generate(path); err != nil {
		t.Fatalf("Generate(%s): %v", path, err)
	}
}
