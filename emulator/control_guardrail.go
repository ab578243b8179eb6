package emulator

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bedrock-emulator/bedrock-emulator/internal/spec"
)

// Guardrail CRUD of the control plane (CreateGuardrail, GetGuardrail, ListGuardrails,
// UpdateGuardrail, DeleteGuardrail, CreateGuardrailVersion), on the registry that
// Options.Guardrails, --guardrails and the admin API fill: a guardrail created through an
// SDK is applied by Converse, InvokeModel and ApplyGuardrail at once, and a deleted one is
// refused as an unknown ID is.
//
// A request body is the Guardrail definition itself (its fields are CreateGuardrail's);
// members the emulator does not apply (contextualGroundingPolicyConfig, crossRegionConfig,
// kmsKeyId, tags, clientRequestToken, …) are accepted and dropped. Every version applies the
// guardrail's current policies, as Guardrail.Versions says.

// guardrailNamePattern and the bounds below are the API model's (GuardrailName,
// GuardrailBlockedMessaging).
var guardrailNamePattern = regexp.MustCompile(`^[0-9a-zA-Z-_]+$`)

const (
	maxGuardrailName      = 50
	maxGuardrailMessaging = 500
)

// unverified: the messages of the control plane's guardrail errors were not found (a
// search of public issues, code and pages, docs/wire-facts.md §7.11); the exceptions are
// those the API model lists for each call.
const (
	msgGuardrailNameTaken  = "A guardrail with the name %s already exists."
	msgGuardrailIDNotFound = "The guardrail %s was not found."
)

// storedGuardrail is the guardrail the request's {guardrailIdentifier} names.
func (h *handler) storedGuardrail(x *exchange) (*Guardrail, *Error) {
	id, err := url.PathUnescape(x.vars.Get("guardrailIdentifier"))
	if err != nil {
		id = x.vars.Get("guardrailIdentifier")
	}
	return h.guardrailNamed(id)
}

// guardrailNamed is the guardrail identifier (an ID or a guardrail ARN) names, or a
// ResourceNotFoundException.
func (h *handler) guardrailNamed(identifier string) (*Guardrail, *Error) {
	id := identifier
	if i := strings.LastIndex(id, ":guardrail/"); strings.HasPrefix(id, "arn:") && i >= 0 {
		id = id[i+len(":guardrail/"):]
	}
	if g, ok := h.guardrails.get(id); ok {
		return g, nil
	}
	return nil, guardrailNotFound(id)
}

func guardrailNotFound(what string) *Error {
	return &Error{Type: "ResourceNotFoundException", Status: http.StatusNotFound, Message: strings.Replace(msgGuardrailIDNotFound, "%s", what, 1)}
}

// decodeGuardrailBody reads a CreateGuardrail or UpdateGuardrail body into a checked
// guardrail with ID id.
func (h *handler) decodeGuardrailBody(x *exchange, id string) (*Guardrail, *Error) {
	var g Guardrail
	if err := json.Unmarshal(x.body, &g); err != nil {
		return nil, serializationError(err.Error())
	}
	x.bodyJSON = true
	var vs []spec.Violation
	// The API model marks name and the messaging sensitive: the service's message leaves
	// their values out.
	bound := func(path, value string, max int) {
		if n := len([]rune(value)); n < 1 || n > max {
			vs = append(vs, spec.Violation{Kind: spec.KindLength, Path: path,
				Constraint: "Member must have length less than or equal to " + strconv.Itoa(max)})
			if n < 1 {
				vs[len(vs)-1].Constraint = "Member must have length greater than or equal to 1"
			}
		}
	}
	bound("name", g.Name, maxGuardrailName)
	if g.Name != "" && !guardrailNamePattern.MatchString(g.Name) {
		vs = append(vs, spec.Violation{Kind: spec.KindPattern, Path: "name",
			Constraint: "Member must satisfy regular expression pattern: [0-9a-zA-Z-_]+"})
	}
	bound("blockedInputMessaging", g.BlockedInputMessaging, maxGuardrailMessaging)
	bound("blockedOutputsMessaging", g.BlockedOutputsMessaging, maxGuardrailMessaging)
	if len(vs) > 0 {
		return nil, validationError("%s", spec.Message(vs))
	}
	for _, other := range h.guardrails.list() {
		if other.Name == g.Name && other.GuardrailID != id {
			// HTTP 400: the status botocore's bedrock model gives ConflictException
			// (httpStatusCode 400), not 409.
			return nil, &Error{Type: "ConflictException", Status: http.StatusBadRequest, Message: strings.Replace(msgGuardrailNameTaken, "%s", g.Name, 1)}
		}
	}
	g.GuardrailID = id
	g.GuardrailArn = "arn:aws:bedrock:" + requestRegion(x.r) + ":" + controlAccount + ":guardrail/" + id
	g.Versions = nil
	if err := g.Check(); err != nil {
		// The emulator's own words: a policy it cannot apply (a bad regex, an unknown type).
		return nil, validationError("%s", err.Error())
	}
	return &g, nil
}

// newGuardrailID is a fresh guardrail ID: 12 lowercase letters and digits, as Bedrock's.
func newGuardrailID() string {
	return strings.ToLower(rand.Text()[:12])
}

// accepted is the answer of a call the API model answers with 202 (its responseCode):
// CreateGuardrail, UpdateGuardrail, DeleteGuardrail and CreateGuardrailVersion.
func accepted(v any) (answer, *Error) {
	a, e := jsonAnswer(v)
	a.status = http.StatusAccepted
	return a, e
}

func timestamp(t time.Time) string {
	if t.IsZero() {
		return profileTime
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func (h *handler) createGuardrail(x *exchange) (answer, *Error) {
	var id string
	for id == "" || h.hasGuardrail(id) {
		id = newGuardrailID()
	}
	g, e := h.decodeGuardrailBody(x, id)
	if e != nil {
		return answer{}, e
	}
	g.created = time.Now()
	g.updated = g.created
	h.guardrails.put(false, g)
	return accepted(map[string]string{"guardrailId": id, "guardrailArn": g.arn(), "version": "DRAFT", "createdAt": timestamp(g.created)})
}

func (h *handler) hasGuardrail(id string) bool {
	_, ok := h.guardrails.get(id)
	return ok
}

func (h *handler) updateGuardrail(x *exchange) (answer, *Error) {
	old, e := h.storedGuardrail(x)
	if e != nil {
		return answer{}, e
	}
	g, e := h.decodeGuardrailBody(x, old.GuardrailID)
	if e != nil {
		return answer{}, e
	}
	g.Versions, g.created, g.updated = old.Versions, old.created, time.Now()
	h.guardrails.put(false, g)
	return accepted(map[string]string{"guardrailId": g.GuardrailID, "guardrailArn": g.arn(), "version": "DRAFT", "updatedAt": timestamp(g.updated)})
}

func (h *handler) createGuardrailVersion(x *exchange) (answer, *Error) {
	old, e := h.storedGuardrail(x)
	if e != nil {
		return answer{}, e
	}
	g := *old
	g.Versions = append(slices.Clone(old.Versions), strconv.Itoa(len(old.Versions)+1))
	h.guardrails.put(false, &g)
	return accepted(map[string]string{"guardrailId": g.GuardrailID, "version": g.Versions[len(g.Versions)-1]})
}

// deleteGuardrail deletes a guardrail, or with ?guardrailVersion= one published version.
func (h *handler) deleteGuardrail(x *exchange) (answer, *Error) {
	old, e := h.storedGuardrail(x)
	if e != nil {
		return answer{}, e
	}
	if v := x.r.URL.Query().Get("guardrailVersion"); v != "" {
		i := slices.Index(old.Versions, v)
		if i < 0 {
			return answer{}, guardrailNotFound(old.GuardrailID + " version " + v)
		}
		g := *old
		g.Versions = slices.Delete(slices.Clone(old.Versions), i, i+1)
		h.guardrails.put(false, &g)
	} else {
		h.guardrails.remove(old.GuardrailID)
	}
	return accepted(struct{}{})
}

// getGuardrail answers GetGuardrail: the definition with the names of GetGuardrail's
// response (topicPolicy.topics for topicPolicyConfig.topicsConfig, …), without the
// emulator's own matches.
func (h *handler) getGuardrail(x *exchange) (answer, *Error) {
	g, e := h.storedGuardrail(x)
	if e != nil {
		return answer{}, e
	}
	version := x.r.URL.Query().Get("guardrailVersion")
	if version == "" {
		version = "DRAFT"
	}
	if !g.hasVersion(version) {
		return answer{}, guardrailNotFound(g.GuardrailID + " version " + version)
	}
	b, _ := json.Marshal(g)
	var doc map[string]any
	json.Unmarshal(b, &doc)
	delete(doc, "versions")
	doc = renamePolicies(doc).(map[string]any)
	doc["version"], doc["status"] = version, "READY"
	doc["createdAt"], doc["updatedAt"] = timestamp(g.created), timestamp(g.updated)
	doc["guardrailArn"] = g.arn()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(doc)
	return answer{body: bytes.TrimSuffix(buf.Bytes(), []byte("\n"))}, nil
}

// policyNames are CreateGuardrail's names of the policies and GetGuardrail's.
var policyNames = map[string]string{
	"topicPolicyConfig": "topicPolicy", "topicsConfig": "topics",
	"contentPolicyConfig": "contentPolicy", "filtersConfig": "filters",
	"wordPolicyConfig": "wordPolicy", "wordsConfig": "words", "managedWordListsConfig": "managedWordLists",
	"sensitiveInformationPolicyConfig": "sensitiveInformationPolicy", "piiEntitiesConfig": "piiEntities", "regexesConfig": "regexes",
}

// renamePolicies renames the policy members of a decoded definition as policyNames says,
// and drops the emulator's "matches".
func renamePolicies(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			if k == "matches" {
				continue
			}
			if n, ok := policyNames[k]; ok {
				k = n
			}
			out[k] = renamePolicies(x)
		}
		return out
	case []any:
		for i := range v {
			v[i] = renamePolicies(v[i])
		}
	}
	return v
}

type guardrailSummary struct {
	ID          string `json:"id"`
	Arn         string `json:"arn"`
	Status      string `json:"status"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Version     string `json:"version"`
	CreatedAt   string `json:"createdAt"`
	UpdatedAt   string `json:"updatedAt"`
}

// listGuardrails answers ListGuardrails: the DRAFT of every guardrail, or with
// guardrailIdentifier every version of that one; maxResults and nextToken page it.
func (h *handler) listGuardrails(x *exchange) (answer, *Error) {
	q := x.r.URL.Query()
	summary := func(g *Guardrail, v string) guardrailSummary {
		return guardrailSummary{ID: g.GuardrailID, Arn: g.arn(), Status: "READY", Name: g.Name, Description: g.Description,
			Version: v, CreatedAt: timestamp(g.created), UpdatedAt: timestamp(g.updated)}
	}
	var all []guardrailSummary
	if q.Has("guardrailIdentifier") {
		g, e := h.guardrailNamed(q.Get("guardrailIdentifier"))
		if e != nil {
			return answer{}, e
		}
		for _, v := range append([]string{"DRAFT"}, g.Versions...) {
			all = append(all, summary(g, v))
		}
	} else {
		for _, g := range h.guardrails.list() {
			all = append(all, summary(g, "DRAFT"))
		}
	}
	return pagedAnswer(q, "guardrails", all)
}
