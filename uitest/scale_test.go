package uitest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/chromedp/chromedp"

	"github.com/bedrock-emulator/bedrock-emulator/client"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// sane is the generous bound on one step of the page with 10,000 entries: not a speed
// target (the numbers are logged, and docs/ui.md keeps a run's), only a sign that the page
// hangs.
const sane = 20 * time.Second

// With 10,000 entries in the journal, the page stays responsive: it loads the newest first,
// draws only the rows in view, pages back as the list scrolls, filters and searches on the
// server, and opens one entry. Each step is timed in the page with performance.now() and
// logged; the checks are of what the page shows.
func TestTenThousand(t *testing.T) {
	t.Parallel()
	const n, workers = 10000, 8
	url := serve(t, "--journal-size", fmt.Sprint(n))
	models := []string{model, "amazon.nova-micro-v1:0"}
	start := time.Now()
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			c := testkit.Client(url)
			for i := w; i < n; i += workers {
				in := &bedrockruntime.ConverseInput{ModelId: aws.String(models[i%2]),
					Messages: []types.Message{testkit.UserText(fmt.Sprintf("request %d of the scale test", i))}}
				if i%10 == 9 {
					in.ModelId = aws.String("no.such-model-v1:0")
				}
				c.Converse(context.Background(), in, client.WithTestID(fmt.Sprintf("test-%d", i%7)))
			}
		})
	}
	wg.Wait()
	fill := time.Since(start)
	t.Logf("filled the journal with %d Converse calls (8 clients) in %v (%.0f/s)", n, fill.Round(time.Millisecond), n/fill.Seconds())

	p := openPage(t, url)
	// measure runs js (an input) and waits for the page to settle; it returns how long
	// after the input the page drew what it answered (fetches included), and how long
	// that drawing took.
	measure := func(what, js string) timing {
		t.Helper()
		m := eval[timing](p, `(async () => { const t0 = performance.now(); `+js+`; await window.inspector.settled();
			return {shown: window.inspector.drawnAt - t0, draw: window.inspector.drawMs} })()`)
		if what != "" {
			t.Logf("%-46s shown after %6.1f ms (drawing %4.1f ms)", what, m.Shown, m.Draw)
		}
		if m.Shown > float64(sane.Milliseconds()) {
			t.Errorf("%s took %.0f ms: the page hangs", what, m.Shown)
		}
		return m
	}
	first := eval[timing](p, `({shown: window.inspector.drawnAt, draw: window.inspector.drawMs})`)
	t.Logf("%-46s shown after %6.1f ms (drawing %4.1f ms)", "open the page: the newest 200 rows", first.Shown, first.Draw)
	if got := p.text("#list-foot"); !strings.HasPrefix(got, fmt.Sprintf("%d kept", n)) {
		t.Errorf("footer %q, want %d kept", got, n)
	}
	domRows := func() int { return eval[int](p, `document.querySelectorAll('#list .row').length`) }

	measure("scroll to the end: pages back all 10,000 rows", `list.scrollTop = list.scrollHeight`)
	if got := p.rows(); len(got) == 0 || got[len(got)-1].Seq != eval[int64](p, `Math.min(...window.inspector.state.rows.map(r => r.seq))`) {
		t.Errorf("at the end, the last row drawn is not the oldest entry")
	}
	if loaded := eval[int](p, `window.inspector.state.rows.length`); loaded != n {
		t.Errorf("%d rows loaded at the end, want %d", loaded, n)
	}
	var shown, draw []float64
	for i := range 50 {
		m := measure("", fmt.Sprintf(`list.scrollTop = list.scrollHeight * %f`, float64((i*37)%50)/50))
		shown, draw = append(shown, m.Shown), append(draw, m.Draw)
	}
	slices.Sort(shown)
	slices.Sort(draw)
	t.Logf("%-46s shown after %6.1f ms median, %.1f ms worst; drawing %.1f ms median, %.1f ms worst", "50 scroll jumps over the 10,000 rows",
		shown[len(shown)/2], shown[len(shown)-1], draw[len(draw)/2], draw[len(draw)-1])
	if d := domRows(); d > 100 {
		t.Errorf("%d row elements in the page for %d entries: the list is not virtualised", d, n)
	}

	measure("filter status 4xx", `document.getElementById('f-status').value = '4xx'; document.getElementById('f-status').dispatchEvent(new Event('change', {bubbles: true}))`)
	if got := p.text("#list-foot"); !strings.HasPrefix(got, fmt.Sprintf("%d of %d kept match", n/10, n)) {
		t.Errorf("status 4xx: footer %q, want %d of %d", got, n/10, n)
	}
	measure("filter test ID test-3 too", `document.getElementById('f-test').value = 'test-3'; document.getElementById('f-test').dispatchEvent(new Event('change', {bubbles: true}))`)
	measure("no filters", `for (const id of ['f-status', 'f-test']) { document.getElementById(id).value = '' }; document.getElementById('f-test').dispatchEvent(new Event('change', {bubbles: true}))`)
	measure("search bodies for \"request 4321 of\"", `document.getElementById('f-q').value = 'request 4321 of'; document.getElementById('f-q').dispatchEvent(new Event('change', {bubbles: true}))`)
	if got := p.rows(); len(got) != 1 {
		t.Errorf("search: %d rows, want 1", len(got))
	}
	measure("search cleared", `document.getElementById('f-q').value = ''; document.getElementById('f-q').dispatchEvent(new Event('change', {bubbles: true}))`)
	measure("scroll to the middle", `list.scrollTop = list.scrollHeight / 2`)
	// A row that has an answer: every tenth request named an unknown model, and which rows
	// come to the middle depends on how the eight clients interleaved.
	var seq int64
	for _, r := range p.rows()[3:] {
		if r.Cells[colStatus] == "200" {
			seq = r.Seq
			break
		}
	}
	measure("open a request in the middle", `document.querySelector('#list .row[data-seq="`+itoa(seq)+`"]').click()`)
	if got := p.text("#detail .meta dd"); got != "#"+itoa(seq) {
		t.Errorf("opened %q, want #%d", got, seq)
	}
	p.do(chromedp.Click(chromedp.CSS(`[data-tab=answer]`)))
	p.settle()
	if got := p.text("#tab-answer .msg.assistant .text"); !strings.Contains(got, "of the scale test") {
		t.Errorf("answer %q", got)
	}

	// Requests arriving while the list is scrolled down do not move the rows in view.
	p.do(chromedp.Click(chromedp.CSS(`#detail .close`)))
	p.settle()
	const topRow = `(() => { const r = list.getBoundingClientRect(); return Number(document.elementFromPoint(r.left + 20, r.top + 5).closest('.row').dataset.seq) })()`
	top := eval[int64](p, topRow)
	newest := eval[int64](p, `window.inspector.state.rows[0].seq`)
	c := testkit.Client(url)
	for range 5 {
		testkit.Converse(t, c, &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: []types.Message{testkit.UserText("one more")}})
	}
	p.waitJS(`window.inspector.state.rows[0].seq >= `+itoa(newest+5), "the five new requests")
	p.settle()
	if got := eval[int64](p, topRow); got != top {
		t.Errorf("the row at the top of the view was #%d, and #%d after five new requests", top, got)
	}
	p.screenshot("10000", "")
}

// timing is one step of the page, measured in it.
type timing struct {
	// Shown is how long after the input the page drew the outcome; Draw, how long that
	// drawing took (the script's time for the list or the request opened), in milliseconds.
	Shown float64 `json:"shown"`
	Draw  float64 `json:"draw"`
}
