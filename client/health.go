package client

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
)

// Health asks the emulator at url for its health check (GET /_emulator/health, which
// needs no admin token) and returns nil when it answers 200 OK within 3 seconds. This is
// what `bedrock-emulator health` and the container image's HEALTHCHECK run.
func Health(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(url, "/")+api.AdminPrefix+"/health", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", url, resp.Status)
	}
	return nil
}
