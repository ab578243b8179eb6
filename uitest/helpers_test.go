package uitest

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

var update = flag.Bool("update", false, "rewrite docs/ui.png and docs/ui-request.png from the screenshots")

func TestMain(m *testing.M) { testkit.Main(m) }

// serve runs `bedrock-emulator serve` on a free port with args, and returns its URL.
func serve(t *testing.T, args ...string) string {
	t.Helper()
	bin := testkit.Binary(t, "../cmd/bedrock-emulator")
	_, url, _ := testkit.Start(t, bin, nil, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)...)
	return url
}

// step bounds one browser step: nothing the page does should take this long.
const step = 30 * time.Second

// A page is the inspector open in a headless Chromium.
type page struct {
	t   *testing.T
	ctx context.Context
	url string // the emulator's
}

// openPage starts a browser and opens the inspector of the emulator at url (newPage, open).
func openPage(t *testing.T, url string) *page {
	t.Helper()
	p := newPage(t, url)
	p.open("")
	return p
}

// newPage starts a browser for the emulator at url, on a blank page.
func newPage(t *testing.T, url string) *page {
	t.Helper()
	return &page{t: t, ctx: testkit.Browser(t, 1360, 820), url: url}
}

// open goes to path (with its query; the inspector, /_emulator/ui/, when empty) and waits
// for the inspector to settle.
func (p *page) open(path string) {
	p.t.Helper()
	if path == "" {
		path = emulator.AdminPrefix + emulator.UIPath + "/"
	}
	p.do(chromedp.Navigate(p.url + path))
	p.settle()
}

// contextOf is the page's context, bounded by step.
func contextOf(p *page) (context.Context, context.CancelFunc) {
	return context.WithTimeout(p.ctx, step)
}

// do runs actions in the page, failing the test on an error.
func (p *page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := contextOf(p)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.t.Fatalf("browser: %v", err)
	}
}

// eval evaluates js in the page (awaiting a promise) and decodes its value into T.
func eval[T any](p *page, js string) T {
	p.t.Helper()
	ctx, cancel := contextOf(p)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// waitJS waits until the expression js is true in the page (polled at each frame), and
// fails the test with what if it is not within step.
func (p *page) waitJS(js, what string) {
	p.t.Helper()
	ctx, cancel := contextOf(p)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js)); err != nil {
		p.t.Fatalf("waiting for %s (%s): %v", what, js, err)
	}
}

// settle waits until the page has no request in flight but its long poll, and has drawn
// (window.inspector.settled).
func (p *page) settle() {
	p.t.Helper()
	eval[bool](p, `window.inspector.settled()`)
}

// A row is one request of the list as the page shows it.
type row struct {
	Seq   int64    `json:"seq"`
	Cells []string `json:"cells"`
}

// Cells of a row, in the columns' order.
const (
	colTime = iota
	colTestID
	colOperation
	colModel
	colStatus
	colError
	colAnsweredBy
	colDuration
)

// rows are the list's rows drawn, top first.
func (p *page) rows() []row {
	p.t.Helper()
	return eval[[]row](p, `[...document.querySelectorAll('#list .row[data-seq]:not([hidden])')]
		.map(el => ({seq: Number(el.dataset.seq), cells: [...el.children].map(c => c.textContent)}))
		.sort((a, b) => b.seq - a.seq)`)
}

// operations is the operation of each row, top first.
func operations(rows []row) []string {
	var ops []string
	for _, r := range rows {
		ops = append(ops, r.Cells[colOperation])
	}
	return ops
}

// setFilter sets the filter control id to value as a user's choice would (a change event).
func (p *page) setFilter(id, value string) {
	p.t.Helper()
	v, _ := json.Marshal(value)
	eval[bool](p, `(() => { const el = document.getElementById('`+id+`'); el.value = `+string(v)+`;
		el.dispatchEvent(new Event('change', {bubbles: true})); return true })()`)
	p.settle()
}

// text is the text of the first element that selector finds, "" when none.
func (p *page) text(selector string) string {
	p.t.Helper()
	s, _ := json.Marshal(selector)
	return eval[string](p, `document.querySelector(`+string(s)+`)?.textContent ?? ''`)
}

// screenshot saves the page as name.png in the screenshot directory ($UITEST_SCREENSHOTS or a
// temporary one), logging where, and with -update as docs/<doc> too when doc is not empty.
func (p *page) screenshot(name, doc string) {
	p.t.Helper()
	ctx, cancel := contextOf(p)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("screenshot: %v", err)
	}
	dir := os.Getenv("UITEST_SCREENSHOTS")
	if dir == "" {
		dir = p.t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	path := filepath.Join(dir, strings.ReplaceAll(p.t.Name(), "/", "-")+"-"+name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot %s", path)
	if *update && doc != "" {
		if err := os.WriteFile(filepath.Join("..", "docs", doc), png, 0o644); err != nil {
			p.t.Fatal(err)
		}
		p.t.Logf("wrote docs/%s", doc)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// quote is s as JSON (and JavaScript) writes it.
func quote(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}
