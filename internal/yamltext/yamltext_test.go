package yamltext_test

import (
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
	"github.com/bedrock-emulator/bedrock-emulator/internal/yamltext"
)

// TestReadsBack: a String reads back as it was, nested in mappings and lists as documents
// hold it, whatever it holds; a string that yaml.v3 writes well keeps its style.
func TestReadsBack(t *testing.T) {
	t.Parallel()
	type doc struct {
		Rules []struct {
			Text yamltext.String `yaml:"text"`
		} `yaml:"rules"`
	}
	type read struct {
		Rules []struct{ Text string } `yaml:"rules"`
	}
	texts := testkit.YAMLTexts(2000)
	for _, s := range texts {
		var d doc
		d.Rules = append(d.Rules, struct {
			Text yamltext.String `yaml:"text"`
		}{yamltext.String(s)})
		out, err := yaml.Marshal(d)
		var back read
		if err == nil {
			err = yaml.Unmarshal(out, &back)
		}
		if err != nil || len(back.Rules) != 1 || back.Rules[0].Text != s {
			t.Errorf("%q: read back %+v, %v:\n%s", s, back, err, out)
		}
	}
	if n := yamltext.Node("two\nlines"); n.Style != 0 {
		t.Errorf("a string that reads back as a literal block is written with style %v", n.Style)
	}
	if n := yamltext.Node("\nThe answer"); n.Style != yaml.DoubleQuotedStyle {
		t.Errorf("a leading line break: style %v, want double-quoted", n.Style)
	}
}
