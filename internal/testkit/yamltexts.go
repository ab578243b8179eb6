package testkit

import (
	"math/rand/v2"
	"strings"
)

// YAMLTexts are strings to check that YAML written by the project reads back the same:
// hard ones by hand (a leading line break, as Titan Text answers begin; a first line that
// begins with a tab; Unicode line separators; YAML's indicators), then n random ones of up
// to ten such characters, the same every run.
func YAMLTexts(n int) []string {
	texts := []string{"\nThe answer", "\n\nHuman: hi\n\nAssistant:", "two\nlines", "trailing\n", "\tindented\n  lines\n",
		"\t\nindented", "\r\nwindows\r\n", "\r\n", " \nspace first", "\u2028separator\u2028", "\u2028x\ny",
		"# not a comment\n- not a list", "'quoted'\n\"both\"", "plain"}
	alphabet := []string{"a", " ", "\n", "\t", "#", ":", "-", "\r", "é", "\u0085", "\u2028", "'", "\"", "|", ">", "}", "\\",
		"&", "*", "!", "%", "@", "`", "0", "."}
	rng := rand.New(rand.NewPCG(1, 2))
	for range n {
		var b strings.Builder
		for range 1 + rng.IntN(10) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		texts = append(texts, b.String())
	}
	return texts
}
