package emulator

import (
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/gorilla/mux"

	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
)

// AdminPrefix is the path prefix of the emulator's own endpoints; no Bedrock path starts
// with it.
const AdminPrefix = api.AdminPrefix

// TestIDHeader is the request header naming the test a request belongs to (see Call.TestID);
// client.WithTestID sets it on an SDK client. TestIDParam is the admin endpoints' query
// parameter that reads or resets one test's part (GET /_emulator/requests?testId=…).
const (
	TestIDHeader = api.TestIDHeader
	TestIDParam  = api.TestIDParam
)

// MaxTestIDBytes is the longest test ID a request may name; a longer one is answered with a
// ValidationException, so that test IDs kept by the journal and by fixtures.Set stay small.
const MaxTestIDBytes = 256

// An AdminRoute is one admin endpoint: a method (empty for any) and a path template under
// AdminPrefix in gorilla/mux's form ("/scripts", "/guardrails/{id}"), and its handler.
type AdminRoute struct {
	Method  string
	Path    string
	Handler http.Handler
}

// routes is every route the emulator serves, in one place: the operations of the API, as
// internal/api's table (api.Routes) declares them, each served by the pipeline as the
// operation's entry in operations says; and the admin endpoints (adminRoutes), served by
// gorilla/mux. Operation paths are matched escaped, so a model ARN's %2F stays inside
// {modelId}; the pipeline decodes it. A path or method that matches neither is answered as
// an unknown operation.
func (h *handler) routes() http.Handler {
	admin := mux.NewRouter().UseEncodedPath().SkipClean(true)
	sub := admin.PathPrefix(AdminPrefix).Subrouter()
	sub.Use(h.adminGuard)
	for _, rt := range h.adminRoutes() {
		route := sub.Handle(rt.Path, rt.Handler)
		if rt.Method != "" {
			route.Methods(rt.Method)
		}
	}
	admin.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.opts.Logger.Warn("unknown operation: no Bedrock Runtime or control-plane operation or admin endpoint has this method and path",
			"method", r.Method, "path", r.URL.EscapedPath())
		unknownOperation(w, r)
	})
	admin.MethodNotAllowedHandler = h.adminGuard(methodNotAllowed(admin))
	return h.guard(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.EscapedPath()
		if op, vars, ok := api.Match(r.Method, path); ok {
			h.serve(op, w, r, path, vars)
			return
		}
		admin.ServeHTTP(w, r)
	}))
}

// adminRoutes are the admin endpoints: the emulator's own, then those of Options.Admin.
//
//	GET, HEAD /_emulator/health     200 {"status":"ok"} when ready
//	GET       /_emulator/requests           the journal, {"requests":[…]}, oldest first
//	DELETE    /_emulator/requests           empty the journal
//	GET       /_emulator/requests/summary   a page of it, newest first (journal_api.go)
//	GET       /_emulator/requests/{seq}     one entry
//	…         /_emulator/guardrails and /_emulator/prompts (see the registry's adminRoutes)
//	GET       /_emulator/ui/                the web inspector (ui.go; /_emulator/ui redirects there)
func (h *handler) adminRoutes() []AdminRoute {
	return slices.Concat([]AdminRoute{
		{http.MethodGet, "/health", http.HandlerFunc(health)},
		{http.MethodHead, "/health", http.HandlerFunc(health)},
		{http.MethodGet, "/requests", http.HandlerFunc(h.listRequests)},
		{http.MethodDelete, "/requests", http.HandlerFunc(h.resetRequests)},
		{http.MethodGet, "/requests/summary", http.HandlerFunc(h.listSummaries)},
		{http.MethodGet, "/requests/{seq}", http.HandlerFunc(h.getRequest)},
	}, uiRoutes(), adminRoutes("guardrails", h.guardrails), adminRoutes("prompts", h.prompts), h.opts.Admin)
}

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

// methodNotAllowed answers an admin path served for other methods: 405, with the methods it
// is served for in Allow.
func methodNotAllowed(router *mux.Router) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			probe := r.Clone(r.Context())
			probe.Method = m
			var match mux.RouteMatch
			if router.Match(probe, &match) && match.MatchErr == nil {
				allow = append(allow, m)
			}
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		adminError(w, http.StatusMethodNotAllowed, r.Method+" is not allowed; use "+strings.Join(allow, ", "))
	})
}

// listRequests answers the journal as {"requests":[…]}, oldest first; with ?testId=ID,
// only the requests of that test (an empty ID: those that name none). It writes one entry
// at a time: the journal may hold hundreds of megabytes, which the answer must not copy
// whole.
func (h *handler) listRequests(w http.ResponseWriter, r *http.Request) {
	entries := h.journal.list()
	if q := r.URL.Query(); q.Has(TestIDParam) {
		entries = OfTest(entries, q.Get(TestIDParam))
	}
	w.Header().Set("Content-Type", "application/json")
	io.WriteString(w, `{"requests":[`)
	for i := range entries {
		b := marshalEntry(&entries[i])
		if i > 0 {
			io.WriteString(w, ",")
		}
		if _, err := w.Write(b); err != nil {
			return
		}
	}
	io.WriteString(w, "]}\n")
}

// resetRequests empties the journal; with ?testId=ID, of that test's requests only.
func (h *handler) resetRequests(w http.ResponseWriter, r *http.Request) {
	if q := r.URL.Query(); q.Has(TestIDParam) {
		h.journal.resetTest(q.Get(TestIDParam))
	} else {
		h.journal.reset()
	}
	w.WriteHeader(http.StatusNoContent)
}
