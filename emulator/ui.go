package emulator

import (
	"embed"
	"io/fs"
	"net/http"
)

// UIPath is where the web inspector is served, under AdminPrefix: GET /_emulator/ui/ is a
// page that lists the journal's requests as they arrive and opens one (its headers, bodies
// and stream frames), with the loaded scripts, cassettes, guardrails and prompts beside it.
// It reads the admin API, so the admin token protects it as it protects the API.
const UIPath = "/ui"

// The page's files: plain HTML, CSS and JavaScript, no build step; served as they are.
//
//go:embed ui
var uiFiles embed.FS

// uiRoutes serve the inspector: /ui redirects to /ui/, which is index.html, and /ui/<file>
// the other files.
func uiRoutes() []AdminRoute {
	sub, err := fs.Sub(uiFiles, "ui")
	if err != nil {
		panic(err) // not seen: the directory is embedded
	}
	files := http.StripPrefix(AdminPrefix+UIPath, uiHeaders(http.FileServerFS(sub)))
	redirect := http.RedirectHandler(AdminPrefix+UIPath+"/", http.StatusMovedPermanently)
	return []AdminRoute{
		{http.MethodGet, UIPath, redirect},
		{http.MethodGet, UIPath + "/", files},
		{http.MethodGet, UIPath + "/{file}", files},
	}
}

// uiHeaders adds to the page's files: no caching (a new binary serves a new page), and a
// content security policy that runs the page's own script only, so that nothing a request
// carried (shown as text) can run, and loads nothing from elsewhere (images from data:
// URLs, the request's own).
func uiHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}
