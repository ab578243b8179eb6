package guardrail

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFinders(t *testing.T) {
	t.Parallel()
	regex, err := Regex(`ACC-[0-9]{4}`)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		find   Finder
		text   string
		want   []string
		reason string
	}{
		{"phrase", Phrases([]string{"stock tips"}), "Any Stock Tips today?", []string{"Stock Tips"}, "whole words, regardless of case"},
		{"phrase inside a word", Phrases([]string{"cat"}), "concatenate", nil, "a phrase matches whole words only"},
		{"adjacent phrases", Phrases([]string{"a"}), "a a a", []string{"a", "a", "a"}, "the next match may start at the character after one"},
		{"no phrases", Phrases([]string{" ", ""}), "anything", nil, "blank phrases find nothing"},
		{"leftmost first", Phrases([]string{"credit", "credit card", "card"}), "a credit card", []string{"credit", "card"}, "at one position, the phrase listed first"},
		{"longer phrase starts earlier", Phrases([]string{"card", "credit card"}), "credit card", []string{"credit card"}, "the leftmost match wins, though a shorter one ends first"},
		{"case folding beyond ASCII", Phrases([]string{"straße", "k"}), "STRAẞE? \u212a!", []string{"STRAẞE", "\u212a"}, "simple case folding, as (?i) does: ẞ with ß, the Kelvin sign with k"},
		{"Unicode words", Phrases([]string{"café"}), "un café, cafés", []string{"café"}, "letters beyond ASCII are word characters"},
		{"PII by pattern", Pattern("EMAIL"), "mail jane@example.com now", []string{"jane@example.com"}, "EMAIL has a fixed form"},
		{"card", Pattern("CREDIT_DEBIT_CARD_NUMBER"), "4111 1111 1111 1111 or 3782-822463-10005", []string{"4111 1111 1111 1111"}, "16 digits only, as Bedrock was seen to"},
		{"regex", regex, "ACC-1234 and ACC-12", []string{"ACC-1234"}, "RE2 matches"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, m := range tt.find(tt.text, -1) {
				got = append(got, tt.text[m[0]:m[1]])
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
			}
		})
	}
	if _, err := Regex(`(`); err == nil {
		t.Error("Regex(`(`) compiled")
	}
}

func TestMask(t *testing.T) {
	t.Parallel()
	got := Mask("call 555-0100 or mail a@b.co", []Span{{22, 28, "{EMAIL}"}, {5, 13, "{PHONE}"}, {5, 8, "{X}"}})
	if want := "call {PHONE} or mail {EMAIL}"; got != want {
		t.Errorf("Mask = %q, want %q (earliest first, overlaps dropped)", got, want)
	}
}

func TestOneOf(t *testing.T) {
	t.Parallel()
	if err := OneOf("action", "BLOCK", BlockActions); err != nil {
		t.Error(err)
	}
	err := OneOf("action", "ANONYMIZE", BlockActions)
	if want := `action "ANONYMIZE": want one of BLOCK, NONE`; err == nil || err.Error() != want {
		t.Errorf("OneOf = %v, want %q", err, want)
	}
}

func TestAssess(t *testing.T) {
	t.Parallel()
	empty, err := Regex(`x*`)
	if err != nil {
		t.Fatal(err)
	}
	topic := &Rule{Policy: PolicyTopic, Name: "stocks", Type: "DENY", Action: [2]string{"BLOCK", "BLOCK"}, Phrases: []string{"stock"}}
	email := &Rule{Policy: PolicyPII, Type: "EMAIL", Action: [2]string{"ANONYMIZE", "NONE"}, Phrases: []string{"or"}, Find: Pattern("EMAIL")}
	outputOnly := &Rule{Policy: PolicyWord, Name: "hello", Action: [2]string{"", "BLOCK"}, Phrases: []string{"hello"}}
	nothing := &Rule{Policy: PolicyRegex, Name: "empty", Action: [2]string{"BLOCK", "BLOCK"}, Find: empty}
	rules := []*Rule{topic, email, outputOnly, nothing}
	texts := []string{"hello: stock, stock", "a@b.co or c@d.co"}

	set := Compile(rules)
	findings, chars, masked := set.Assess(Input, texts)
	want := []Finding{
		{Rule: topic, Match: "stock", Action: "BLOCKED"},     // once per rule
		{Rule: email, Match: "a@b.co", Action: "ANONYMIZED"}, // once per occurrence, phrases and pattern by position
		{Rule: email, Match: "or", Action: "ANONYMIZED"},
		{Rule: email, Match: "c@d.co", Action: "ANONYMIZED"},
	}
	if diff := cmp.Diff(want, findings, cmp.Comparer(func(a, b *Rule) bool { return a == b })); diff != "" {
		t.Errorf("input findings (-want +got):\n%s", diff)
	}
	if chars != len(texts[0])+len(texts[1]) {
		t.Errorf("chars = %d, want %d", chars, len(texts[0])+len(texts[1]))
	}
	if diff := cmp.Diff([]string{"hello: stock, stock", "{EMAIL} {EMAIL} {EMAIL}"}, masked); diff != "" {
		t.Errorf("masked (-want +got):\n%s", diff)
	}

	findings, _, masked = set.Assess(Output, texts[:1])
	if len(findings) != 2 || findings[0].Rule != topic || findings[1].Rule != outputOnly || masked != nil {
		t.Errorf("output: findings %+v, masked %q; want the topic and the output-only word, nothing masked", findings, masked)
	}
}

// TestAssessCapped: an assessment lists at most MaxFindings findings, however many matches
// its texts hold (issue 13, item 9).
func TestAssessCapped(t *testing.T) {
	t.Parallel()
	email := &Rule{Policy: PolicyPII, Type: "EMAIL", Action: [2]string{"BLOCK", "BLOCK"}, Find: Pattern("EMAIL")}
	name := &Rule{Policy: PolicyPII, Type: "NAME", Action: [2]string{"ANONYMIZE", "BLOCK"}, Phrases: []string{"jane"}}
	text := strings.Repeat("jane a@b.co ", 10000)
	findings, _, _ := Compile([]*Rule{email, name}).Assess(Input, []string{text, text})
	if len(findings) != MaxFindings {
		t.Errorf("%d findings, want MaxFindings (%d)", len(findings), MaxFindings)
	}
}

// BenchmarkAssessWords: 100 custom words against 1 MiB of text, the case of issue 13
// (4.2 s of CPU when each word was a pass of its own).
func BenchmarkAssessWords(b *testing.B) {
	var rules []*Rule
	for i := range 100 {
		rules = append(rules, &Rule{Policy: PolicyWord, Name: fmt.Sprint("word", i), Action: [2]string{"BLOCK", "BLOCK"},
			Phrases: []string{fmt.Sprint("word", i)}})
	}
	set := Compile(rules)
	text := strings.Repeat("lorem ipsum dolor sit amet, consectetur adipiscing elit ", 1<<20/56)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		set.Assess(Input, []string{text})
	}
}
