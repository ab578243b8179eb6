package testkit

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// RequireEnv is the environment variable that turns Missing's skips into failures: .ci/run
// sets it (SDKTEST_REQUIRE=1) once it has installed what the tests need.
const RequireEnv = "SDKTEST_REQUIRE"

// Missing skips the test, saying why (what is missing and how to install it), or fails it
// where RequireEnv is set: `go test ./...` does not show skips, CI must not hide one.
func Missing(t testing.TB, why string) {
	t.Helper()
	if os.Getenv(RequireEnv) != "" {
		t.Fatal(why + " (" + RequireEnv + " is set)")
	}
	t.Skip(why)
}

// chromiumNames are the commands Chromium is found as, Debian's first.
var chromiumNames = []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// Chromium returns the path of a Chromium (Debian's /usr/bin/chromium first), or calls
// Missing naming scripts/browser-setup.sh, which installs it.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range chromiumNames {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	Missing(t, "Chromium is not installed (no /usr/bin/chromium): the browser tests need it; run scripts/browser-setup.sh as root (.ci/run does)")
	return ""
}

// Browser starts a headless Chromium (Chromium) with a new empty profile in t.TempDir() and
// returns a chromedp context of one tab in it. The browser is closed when the test ends. Run
// chromedp actions with the context (chromedp.Run, chromedp.Do), each bounded by a timeout
// of the caller's. Width and height are the window's size in CSS pixels, what a screenshot
// shows. It skips the test where Chromium is missing (Missing).
//
// The flags are those that work on a machine with a closed network: no sandbox (root), no
// GPU, no QUIC, and none of the browser's own traffic (background networking, component
// updates, sync).
func Browser(t testing.TB, width, height int) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(alloc, chromedp.WithErrorf(t.Logf))
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	// Start the browser now, so that a browser that cannot start fails here, and not in the
	// first action with a less clear error.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}
