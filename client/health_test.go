package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bedrock-emulator/bedrock-emulator/client"
	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// Health is nil for a serving emulator (with or without a trailing slash and an admin
// token), and an error for a stopped one or one that answers otherwise.
func TestHealth(t *testing.T) {
	t.Parallel()
	srv := emulator.NewServer(emulator.WithAdminToken("secret"))
	t.Cleanup(srv.Close)
	for _, url := range []string{srv.URL, srv.URL + "/"} {
		if err := client.Health(context.Background(), url); err != nil {
			t.Errorf("Health(%s) = %v", url, err)
		}
	}
	sick := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusServiceUnavailable) }))
	t.Cleanup(sick.Close)
	if err := client.Health(context.Background(), sick.URL); err == nil || !strings.Contains(err.Error(), "503 Service Unavailable") {
		t.Errorf("Health of a server answering 503 = %v", err)
	}
	if err := client.Health(context.Background(), "http://127.0.0.1:1"); err == nil {
		t.Error("Health of a closed port = nil")
	}
}
