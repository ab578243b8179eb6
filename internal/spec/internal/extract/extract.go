// Package extract turns botocore's JSON service model into the compact,
// documentation-free extract that package spec embeds.
package extract

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/bedrock-emulator/bedrock-emulator/internal/spec"
)

// EnvModel names the environment variable that overrides where the botocore
// model file is looked for.
const EnvModel = "BOTOCORE_BEDROCK_RUNTIME_MODEL"

// modelRel is the model's path inside the botocore package.
const modelRel = "data/bedrock-runtime/2023-09-30/service-2.json"

// ControlModelRel is the path of the bedrock (control-plane) model inside the botocore
// package, for LocateIn.
const ControlModelRel = "data/bedrock/2023-04-20/service-2.json"

// ErrNoBotocore is returned by Locate when no model file can be found.
var ErrNoBotocore = errors.New("extract: botocore's bedrock-runtime model not found")

// Locate returns the path of botocore's bedrock-runtime service-2.json (or
// .json.gz): $BOTOCORE_BEDROCK_RUNTIME_MODEL if set, else the file inside the
// botocore package that python3 imports.
func Locate() (string, error) {
	if p := os.Getenv(EnvModel); p != "" {
		return p, nil
	}
	return LocateIn(modelRel)
}

// LocateIn returns the path of the model file rel (e.g. ControlModelRel), or rel.gz,
// inside the botocore package that python3 imports. The error wraps ErrNoBotocore when
// there is none.
func LocateIn(rel string) (string, error) {
	out, err := exec.Command("python3", "-c", "import botocore,os;print(os.path.dirname(botocore.__file__))").Output()
	if err != nil {
		return "", fmt.Errorf("%w: python3 cannot import botocore: %v", ErrNoBotocore, err)
	}
	dir := strings.TrimSpace(string(out))
	for _, p := range []string{rel + ".gz", rel} {
		p = filepath.Join(dir, filepath.FromSlash(p))
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("%w: no %s under %s", ErrNoBotocore, rel, dir)
}

// ReadFile reads a botocore model file, gunzipping it if its name ends in .gz.
func ReadFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(path, ".gz") {
		return data, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("extract: %s: %w", path, err)
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

// botocore's service-2.json, the parts that are kept.
type (
	bcModel struct {
		Metadata   spec.Metadata          `json:"metadata"`
		Operations map[string]bcOperation `json:"operations"`
		Shapes     map[string]bcShape     `json:"shapes"`
	}
	bcOperation struct {
		HTTP struct {
			Method       string `json:"method"`
			RequestURI   string `json:"requestUri"`
			ResponseCode int    `json:"responseCode"`
		} `json:"http"`
		Input  *bcRef  `json:"input"`
		Output *bcRef  `json:"output"`
		Errors []bcRef `json:"errors"`
	}
	bcRef struct {
		Shape            string `json:"shape"`
		Location         string `json:"location"`
		LocationName     string `json:"locationName"`
		IdempotencyToken bool   `json:"idempotencyToken"`
	}
	bcShape struct {
		Type    string          `json:"type"`
		Members json.RawMessage `json:"members"` // object; its key order is the model order
		Member  *bcRef          `json:"member"`
		Key     *bcRef          `json:"key"`
		Value   *bcRef          `json:"value"`
		// Required lists required member names.
		Required        []string `json:"required"`
		Enum            []string `json:"enum"`
		Min             *float64 `json:"min"`
		Max             *float64 `json:"max"`
		Pattern         string   `json:"pattern"`
		Union           bool     `json:"union"`
		Sensitive       bool     `json:"sensitive"`
		Document        bool     `json:"document"`
		Streaming       bool     `json:"streaming"`
		EventStream     bool     `json:"eventstream"`
		Event           bool     `json:"event"`
		Payload         string   `json:"payload"`
		TimestampFormat string   `json:"timestampFormat"`
		Exception       bool     `json:"exception"`
		Error           struct {
			HTTPStatusCode int `json:"httpStatusCode"`
		} `json:"error"`
	}
)

// Convert builds the extract from a botocore service-2.json document.
func Convert(botocore []byte) (*spec.Service, error) {
	var m bcModel
	if err := json.Unmarshal(botocore, &m); err != nil {
		return nil, fmt.Errorf("extract: decoding botocore model: %w", err)
	}
	s := &spec.Service{
		Metadata:   m.Metadata,
		Operations: make(map[string]*spec.Operation, len(m.Operations)),
		Shapes:     make(map[string]*spec.Shape, len(m.Shapes)),
	}
	for name, o := range m.Operations {
		op := &spec.Operation{
			Method:       o.HTTP.Method,
			RequestURI:   o.HTTP.RequestURI,
			ResponseCode: o.HTTP.ResponseCode,
		}
		if o.Input != nil {
			op.Input = o.Input.Shape
		}
		if o.Output != nil {
			op.Output = o.Output.Shape
		}
		for _, e := range o.Errors {
			op.Errors = append(op.Errors, e.Shape)
		}
		s.Operations[name] = op
	}
	for name, b := range m.Shapes {
		sh := &spec.Shape{
			Type:            b.Type,
			Enum:            b.Enum,
			Min:             b.Min,
			Max:             b.Max,
			Pattern:         b.Pattern,
			Union:           b.Union,
			Sensitive:       b.Sensitive,
			Document:        b.Document,
			Streaming:       b.Streaming,
			EventStream:     b.EventStream,
			Event:           b.Event,
			Payload:         b.Payload,
			TimestampFormat: b.TimestampFormat,
		}
		if b.Exception {
			sh.Error = b.Error.HTTPStatusCode
		}
		if b.Member != nil {
			sh.Member = b.Member.Shape
		}
		if b.Key != nil {
			sh.Key = b.Key.Shape
		}
		if b.Value != nil {
			sh.Value = b.Value.Shape
		}
		members, err := orderedMembers(b.Members)
		if err != nil {
			return nil, fmt.Errorf("extract: shape %s: %w", name, err)
		}
		for _, mm := range members {
			sh.Members = append(sh.Members, spec.Member{
				Name:             mm.name,
				Target:           mm.ref.Shape,
				Location:         mm.ref.Location,
				LocationName:     mm.ref.LocationName,
				Required:         slices.Contains(b.Required, mm.name),
				IdempotencyToken: mm.ref.IdempotencyToken,
			})
		}
		s.Shapes[name] = sh
	}
	// Round-trip through the checker package spec applies to its own file.
	out, err := Encode(s)
	if err != nil {
		return nil, err
	}
	return spec.Parse(out)
}

type namedRef struct {
	name string
	ref  bcRef
}

// orderedMembers decodes a botocore "members" object keeping its key order,
// which encoding/json's maps would lose.
func orderedMembers(raw json.RawMessage) ([]namedRef, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("members: not an object")
	}
	var out []namedRef
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("members: %w", err)
		}
		var ref bcRef
		if err := dec.Decode(&ref); err != nil {
			return nil, fmt.Errorf("members: %s: %w", t, err)
		}
		out = append(out, namedRef{name: t.(string), ref: ref})
	}
	return out, nil
}

// Encode writes the extract deterministically: keys sorted, one operation or
// shape per line, so that regenerating it gives reviewable diffs.
func Encode(s *spec.Service) ([]byte, error) {
	var buf bytes.Buffer
	meta, err := json.Marshal(s.Metadata)
	if err != nil {
		return nil, err
	}
	buf.WriteString(`{"metadata":`)
	buf.Write(meta)
	if err := writeSection(&buf, "operations", s.Operations); err != nil {
		return nil, err
	}
	if err := writeSection(&buf, "shapes", s.Shapes); err != nil {
		return nil, err
	}
	buf.WriteString("\n}\n")
	return buf.Bytes(), nil
}

func writeSection[T any](buf *bytes.Buffer, name string, m map[string]T) error {
	fmt.Fprintf(buf, ",\n%q:{", name)
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	for i, n := range names {
		v, err := json.Marshal(m[n])
		if err != nil {
			return fmt.Errorf("extract: %s %s: %w", name, n, err)
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(n)
		buf.WriteString("\n")
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(v)
	}
	buf.WriteString("\n}")
	return nil
}

// Generate reads the botocore model at path and returns the encoded extract.
func Generate(path string) ([]byte, error) {
	data, err := ReadFile(path)
	if err != nil {
		return nil, err
	}
	s, err := Convert(data)
	if err != nil {
		return nil, err
	}
	return Encode(s)
}
