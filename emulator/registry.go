package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/gorilla/mux"
	"gopkg.in/yaml.v3"
)

// Guardrails and prompts are definitions the emulator keeps by ID: given through Options,
// loaded from a file, and changed at run time over the admin API. A registry holds one kind
// of them; the admin API and the file format are the same for both.

// definition is what a registry holds: something with an ID that can check itself (and
// compile what it needs to be applied).
type definition interface {
	key() string
	Check() error
}

// checked checks definitions given through Options and returns pointers to copies of them.
func checked[D any, T interface {
	*D
	definition
}](defs []D) ([]T, error) {
	out := make([]T, len(defs))
	for i := range defs {
		d := defs[i]
		out[i] = T(&d)
		if err := out[i].Check(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// registry keeps definitions of one kind by ID. It is safe for concurrent use.
type registry[T definition] struct {
	mu    sync.RWMutex
	items map[string]T
}

func newRegistry[T definition](items []T) *registry[T] {
	r := &registry[T]{items: make(map[string]T, len(items))}
	for _, it := range items {
		r.items[it.key()] = it
	}
	return r
}

func (r *registry[T]) get(id string) (T, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	it, ok := r.items[id]
	return it, ok
}

// list returns the definitions sorted by ID.
func (r *registry[T]) list() []T {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]T, 0, len(r.items))
	for _, it := range r.items {
		out = append(out, it)
	}
	slices.SortFunc(out, func(a, b T) int { return strings.Compare(a.key(), b.key()) })
	return out
}

// put adds or replaces items; replace first drops every item there was.
func (r *registry[T]) put(replace bool, items ...T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if replace {
		clear(r.items)
	}
	for _, it := range items {
		r.items[it.key()] = it
	}
}

func (r *registry[T]) remove(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.items[id]
	delete(r.items, id)
	return ok
}

// decodeDefinitions reads a definitions document: JSON or YAML, either a list of
// definitions or an object whose member named plural holds the list. Unknown fields are
// errors, and every definition is checked.
func decodeDefinitions[T definition](data []byte, plural string) ([]T, error) {
	doc, err := yamlToJSON(data)
	if err != nil {
		return nil, err
	}
	if obj, ok := doc.(map[string]any); ok {
		if len(obj) != 1 || obj[plural] == nil {
			return nil, fmt.Errorf("want a list, or an object with one member, %q, holding a list", plural)
		}
		doc = obj[plural]
	}
	var items []T
	if err := strictJSON(doc, &items); err != nil {
		return nil, err
	}
	what := strings.TrimSuffix(plural, "s")
	seen := make(map[string]bool, len(items))
	for i, it := range items {
		if err := it.Check(); err != nil {
			return nil, fmt.Errorf("%s %d: %w", what, i+1, err)
		}
		if seen[it.key()] {
			return nil, fmt.Errorf("%s %d: %q is defined twice", what, i+1, it.key())
		}
		seen[it.key()] = true
	}
	return items, nil
}

// decodeDefinition reads one definition, JSON or YAML, and checks it.
func decodeDefinition[T definition](data []byte) (T, error) {
	var it T
	doc, err := yamlToJSON(data)
	if err == nil {
		err = strictJSON(doc, &it)
	}
	if err == nil {
		err = it.Check()
	}
	return it, err
}

// yamlToJSON parses JSON or YAML into plain values.
func yamlToJSON(data []byte) (any, error) {
	var doc any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("not JSON or YAML: %w", err)
	}
	return doc, nil
}

// strictJSON decodes doc, a plain value, into v by way of JSON, refusing unknown fields.
func strictJSON(doc, v any) error {
	raw, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// loadDefinitions reads a definitions file (see decodeDefinitions).
func loadDefinitions[T definition](path, plural string) ([]T, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	items, err := decodeDefinitions[T](data, plural)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return items, nil
}

// adminRoutes are the admin endpoints of a registry, under AdminPrefix+"/"+plural:
//
//	GET    /_emulator/<plural>        {"<plural>":[…]}, sorted by ID
//	POST   /_emulator/<plural>        add or replace the definitions in the body (a document)
//	PUT    /_emulator/<plural>        replace all definitions with those in the body
//	DELETE /_emulator/<plural>        remove them all
//	GET    /_emulator/<plural>/{id}   one definition
//	PUT    /_emulator/<plural>/{id}   add or replace one definition (the body is one definition)
//	DELETE /_emulator/<plural>/{id}   remove one
//
// Changes answer 204; a bad body answers 400 and an unknown ID 404, with {"message":…}.
func adminRoutes[T definition](plural string, reg *registry[T]) []AdminRoute {
	path, one := "/"+plural, "/"+plural+"/{id}"
	what := strings.TrimSuffix(plural, "s")
	put := func(w http.ResponseWriter, r *http.Request) {
		items, err := readDefinitions[T](r, plural)
		if err != nil {
			adminError(w, http.StatusBadRequest, err.Error())
			return
		}
		reg.put(r.Method == http.MethodPut, items...)
		w.WriteHeader(http.StatusNoContent)
	}
	return []AdminRoute{
		{http.MethodGet, path, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			adminJSON(w, http.StatusOK, map[string][]T{plural: reg.list()})
		})},
		{http.MethodPost, path, http.HandlerFunc(put)},
		{http.MethodPut, path, http.HandlerFunc(put)},
		{http.MethodDelete, path, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			reg.put(true)
			w.WriteHeader(http.StatusNoContent)
		})},
		{http.MethodGet, one, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := mux.Vars(r)["id"]
			it, ok := reg.get(id)
			if !ok {
				adminError(w, http.StatusNotFound, fmt.Sprintf("no %s with ID %q", what, id))
				return
			}
			adminJSON(w, http.StatusOK, it)
		})},
		{http.MethodPut, one, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := mux.Vars(r)["id"]
			body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, adminMaxBody))
			if err != nil {
				adminError(w, http.StatusBadRequest, err.Error())
				return
			}
			it, err := decodeDefinition[T](body)
			switch {
			case err != nil:
				adminError(w, http.StatusBadRequest, err.Error())
			case it.key() != id:
				adminError(w, http.StatusBadRequest, fmt.Sprintf("the body defines %q, not %q", it.key(), id))
			default:
				reg.put(false, it)
				w.WriteHeader(http.StatusNoContent)
			}
		})},
		{http.MethodDelete, one, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id := mux.Vars(r)["id"]
			if !reg.remove(id) {
				adminError(w, http.StatusNotFound, fmt.Sprintf("no %s with ID %q", what, id))
				return
			}
			w.WriteHeader(http.StatusNoContent)
		})},
	}
}

// adminMaxBody caps the body of an admin request.
const adminMaxBody = 10 << 20

func readDefinitions[T definition](r *http.Request, plural string) ([]T, error) {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, adminMaxBody))
	if err != nil {
		return nil, err
	}
	return decodeDefinitions[T](body, plural)
}

func adminJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(encodeJSON(v), '\n'))
}

func adminError(w http.ResponseWriter, status int, msg string) {
	adminJSON(w, status, struct {
		Message string `json:"message"`
	}{msg})
}
