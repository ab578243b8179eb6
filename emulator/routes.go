package emulator

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
)

// routes is every route the emulator serves, in one place. Paths are matched encoded, so a
// model ARN's %2F stays inside {modelId}; the handler decodes it.
func (h *handler) routes() http.Handler {
	r := mux.NewRouter().UseEncodedPath().SkipClean(true)
	r.HandleFunc("/model/{modelId}/converse", h.converse(OpConverse)).Methods(http.MethodPost)
	r.HandleFunc("/model/{modelId}/converse-stream", h.converse(OpConverseStream)).Methods(http.MethodPost)

	admin := r.PathPrefix(AdminPrefix).Subrouter()
	admin.Use(h.adminGuard)
	admin.HandleFunc("/health", health).Methods(http.MethodGet, http.MethodHead)
	admin.HandleFunc("/requests", h.listRequests).Methods(http.MethodGet)
	admin.HandleFunc("/requests", h.resetRequests).Methods(http.MethodDelete)
	for path, ah := range h.opts.Admin {
		admin.Handle(path, ah)
		admin.PathPrefix(path + "/").Handler(ah)
	}
	h.runtimeRoutes(r, admin)

	r.NotFoundHandler = http.HandlerFunc(unknownOperation)
	r.MethodNotAllowedHandler = http.HandlerFunc(unknownOperation)
	return h.guard(h.converseFirst(r))
}

// converseFirst serves Converse and ConverseStream requests directly and passes the rest
// to next: the router would answer them the same (the routes above), at the cost of its
// regexps and a copy of the request with the path variables in its context.
func (h *handler) converseFirst(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			if modelID, op, ok := converseRoute(r.URL.EscapedPath()); ok {
				h.serveConverse(op, w, r, modelID)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// converseRoute matches path as the router matches "/model/{modelId}/converse" and
// "/model/{modelId}/converse-stream" (the escaped path; the model ID one segment, not
// empty) and returns the model ID, still escaped, and the operation.
func converseRoute(path string) (modelID, op string, ok bool) {
	rest, ok := strings.CutPrefix(path, "/model/")
	if !ok {
		return "", "", false
	}
	i := strings.IndexByte(rest, '/')
	if i <= 0 {
		return "", "", false
	}
	switch rest[i:] {
	case "/converse":
		return rest[:i], OpConverse, true
	case "/converse-stream":
		return rest[:i], OpConverseStream, true
	}
	return "", "", false
}

// AdminPrefix is the path prefix of the emulator's own endpoints; no Bedrock path starts
// with it.
const AdminPrefix = api.AdminPrefix

func health(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"status":"ok"}`))
}

// unknownOperation answers a path or method that matches no operation as Coral does: HTTP
// 200 with an UnknownOperationException envelope. Real Bedrock answered exactly this to a
// model ARN sent with a literal "/" (docs/wire-facts.md §2.1, vercel/ai PR 17524).
func unknownOperation(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"Output":{"__type":"com.amazon.coral.service#UnknownOperationException"},"Version":"1.0"}`))
}

// listRequests answers the journal as {"requests":[…]}, oldest first.
func (h *handler) listRequests(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(struct {
		Requests []Entry `json:"requests"`
	}{h.journal.list()})
}

func (h *handler) resetRequests(w http.ResponseWriter, _ *http.Request) {
	h.journal.reset()
	w.WriteHeader(http.StatusNoContent)
}
