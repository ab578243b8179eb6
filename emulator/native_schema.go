package emulator

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// nativeSchema is the top level of a provider's InvokeModel body, checked as Bedrock checks
// it: with a JSON schema validator whose violations it joins into one message, e.g.
// "Malformed input request: #: required key [prompt] not found#: extraneous key [max_tokens]
// is not permitted, please reformat your input and try again." (Llama 3,
// continuedev/continue#1260). Types are named as that validator names them ("#/max_gen_len:
// expected type: Integer, found: String").
type nativeSchema struct {
	// required lists the members that must be present, in the order they are reported.
	required []string
	// props maps each permitted member to its type: Integer, Number, String, Boolean,
	// JSONArray or JSONObject; "" takes any value.
	props map[string]string
	// prefix is reported before the other violations. Claude's schema is a choice between
	// the text completion and Messages bodies, and a Messages body first fails the former:
	// "#: subject must not be valid against schema {"required":["messages"]}" leads every
	// Claude Messages rejection seen (e.g. "…#/messages/1/content: expected minimum item count: 1…",
	// https://github.com/quadratichq/quadratic/issues/2718; docs/wire-facts.md §7.7).
	prefix string
	// prefixWhen, when set, names the member whose presence the prefix needs.
	prefixWhen string
	// terse drops "please" from the closing words, as Nova 2 does ("…is not permitted,
	// reformat your input and try again.", run-llama/llama_index#21420).
	terse bool
}

// check reports the body's top-level violations, or nil.
func (s *nativeSchema) check(obj map[string]any) *Error {
	var vs []string
	for _, k := range s.required {
		if _, ok := obj[k]; !ok {
			vs = append(vs, "#: required key ["+k+"] not found")
		}
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var extra []string
	for _, k := range keys {
		want, ok := s.props[k]
		if !ok {
			extra = append(extra, "#: extraneous key ["+k+"] is not permitted")
			continue
		}
		if got := jsonType(obj[k]); want != "" && got != want && !(want == "Number" && (got == "Integer" || got == "BigDecimal")) {
			vs = append(vs, "#/"+k+": expected type: "+want+", found: "+got)
		}
	}
	vs = append(vs, extra...)
	if len(vs) == 0 {
		return nil
	}
	prefix := s.prefix
	if _, ok := obj[s.prefixWhen]; s.prefixWhen != "" && !ok {
		prefix = ""
	}
	return malformed(s.terse, prefix+strings.Join(vs, ""))
}

// malformed is a rejected native body.
func malformed(terse bool, violations string) *Error {
	please := "please "
	if terse {
		please = ""
	}
	return validationError("Malformed input request: %s, %sreformat your input and try again.", violations, please)
}

// jsonType names a decoded JSON value's type as Bedrock's validator does. inference: a
// number with a fraction or exponent is reported as BigDecimal, as org.json parses it.
func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "Null"
	case bool:
		return "Boolean"
	case string:
		return "String"
	case json.Number:
		if strings.ContainsAny(string(v), ".eE") {
			return "BigDecimal"
		}
		return "Integer"
	case float64:
		return "BigDecimal"
	case []any:
		return "JSONArray"
	case map[string]any:
		return "JSONObject"
	}
	return fmt.Sprintf("%T", v)
}

// into decodes a checked body into a format's request struct. A member of the wrong type
// below the top level is reported with the member's path where the decoder names it.
func into(obj map[string]any, v any, terse bool) *Error {
	raw, err := json.Marshal(obj)
	if err == nil {
		err = json.Unmarshal(raw, v)
	}
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		// unverified: the validator's wording for nested members is assumed to match
		// its top-level wording.
		return malformed(terse, "#/"+strings.ReplaceAll(te.Field, ".", "/")+": expected type: "+javaTypeOf(te.Type.String())+", found: "+jsonTypeName(te.Value))
	}
	return malformed(terse, "#: "+err.Error())
}

// javaTypeOf names a Go type of the request structs as the validator names JSON types.
func javaTypeOf(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "JSONArray"
	case strings.HasPrefix(goType, "map["), strings.Contains(goType, "struct"), strings.Contains(goType, "emulator."):
		return "JSONObject"
	case goType == "string":
		return "String"
	case goType == "bool":
		return "Boolean"
	case strings.HasPrefix(goType, "int"):
		return "Integer"
	}
	return "Number"
}

// jsonTypeName names the JSON type encoding/json reports in an UnmarshalTypeError.
func jsonTypeName(v string) string {
	switch v {
	case "string":
		return "String"
	case "number":
		return "Integer"
	case "bool":
		return "Boolean"
	case "array":
		return "JSONArray"
	case "object":
		return "JSONObject"
	}
	return strings.ToUpper(v[:1]) + v[1:]
}

// Deterministic IDs in each provider's style, derived from the request ID and a salt.

const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// nativeID is n characters of alphabet derived from the call and salt.
func nativeID(c *Call, salt string, n int, alphabet string) string {
	sum := sha256.Sum256([]byte(c.RequestID + "\x00" + salt))
	out := make([]byte, n)
	for i := range out {
		out[i] = alphabet[int(sum[i%len(sum)]+byte(i/len(sum)))%len(alphabet)]
	}
	return string(out)
}

// nativeUUID is a lowercase UUID derived from the call and salt.
func nativeUUID(c *Call, salt string) string {
	sum := sha256.Sum256([]byte(c.RequestID + "\x00uuid\x00" + salt))
	sum[6] = sum[6]&0x0f | 0x40
	sum[8] = sum[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
}

// promptText is the last user turn of a prompt written in a chat template (Llama 3's
// header tokens, or Llama 2's and Mistral's [INST] … [/INST]), or the whole prompt.
func promptText(prompt string) string {
	const llama3 = "<|start_header_id|>user<|end_header_id|>"
	if i := strings.LastIndex(prompt, llama3); i >= 0 {
		s := prompt[i+len(llama3):]
		if j := strings.Index(s, "<|eot_id|>"); j >= 0 {
			s = s[:j]
		}
		return strings.TrimSpace(s)
	}
	if i := strings.LastIndex(prompt, "[INST]"); i >= 0 {
		s := prompt[i+len("[INST]"):]
		if j := strings.Index(s, "[/INST]"); j >= 0 {
			s = s[:j]
		}
		if j := strings.Index(s, "<</SYS>>"); j >= 0 {
			s = s[j+len("<</SYS>>"):]
		}
		return strings.TrimSpace(s)
	}
	return strings.TrimSpace(prompt)
}

// userMessage is a Converse request of one user text.
func userMessage(text string) []Message {
	return []Message{{Role: RoleUser, Content: []ContentBlock{{Text: &text}}}}
}

// cumulative is the running token counts of parts, the last equal to total.
func cumulative(parts []string, total int) []int {
	out := make([]int, len(parts))
	n := 0
	for i, p := range parts {
		n += TextTokens(p)
		out[i] = min(n, total)
	}
	if len(out) > 0 {
		out[len(out)-1] = total
	}
	return out
}
