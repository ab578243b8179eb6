package emulator_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// The inspector's files are served from the binary under /_emulator/ui/, with a content
// security policy, behind the admin token like the rest of the admin API. (uitest drives the
// page itself in a browser.)
func TestUIFiles(t *testing.T) {
	t.Parallel()
	srv, _ := start(t)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tests := []struct {
		path, status, contentType, body string
	}{
		{"/_emulator/ui", "301 Moved Permanently", "", ""},
		{"/_emulator/ui/", "200 OK", "text/html", "<title>bedrock-emulator inspector</title>"},
		{"/_emulator/ui/app.js", "200 OK", "text/javascript", "window.inspector"},
		{"/_emulator/ui/style.css", "200 OK", "text/css", "--row: 28px"},
		{"/_emulator/ui/index.html", "301 Moved Permanently", "", ""}, // http.FileServer's, to ./
		{"/_emulator/ui/nothing.js", "404 Not Found", "text/plain", "404 page not found"},
	}
	for _, tt := range tests {
		res, err := noRedirect.Get(srv.URL + tt.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.Status != tt.status || !strings.HasPrefix(res.Header.Get("Content-Type"), tt.contentType) || !strings.Contains(string(body), tt.body) {
			t.Errorf("GET %s: %s %q, %.80q; want %s %q with %q", tt.path, res.Status, res.Header.Get("Content-Type"), body, tt.status, tt.contentType, tt.body)
		}
		if res.StatusCode == http.StatusOK && !strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("GET %s: Content-Security-Policy %q", tt.path, res.Header.Get("Content-Security-Policy"))
		}
	}
	res, err := http.Get(srv.URL + "/_emulator/ui")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Request.URL.Path != "/_emulator/ui/" {
		t.Errorf("GET /_emulator/ui ends at %v, want /_emulator/ui/", res.Request.URL)
	}

	guarded, _ := start(t, emulator.WithAdminToken("s3cret"))
	for _, auth := range []string{"", "Bearer wrong"} {
		req, _ := http.NewRequest(http.MethodGet, guarded.URL+"/_emulator/ui/app.js", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("app.js with %q under an admin token: %s, want 401", auth, res.Status)
		}
	}
}
