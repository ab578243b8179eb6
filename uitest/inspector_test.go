package uitest

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/chromedp/chromedp"

	"github.com/bedrock-emulator/bedrock-emulator/client"
	"github.com/bedrock-emulator/bedrock-emulator/emulator"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

const model = "anthropic.claude-3-haiku-20240307-v1:0"

// picture is a small PNG, sent as an image block, that the page shows as a thumbnail.
func picture(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 40))
	for x := range 64 {
		for y := range 40 {
			img.Set(x, y, color.RGBA{uint8(60 + 3*x), uint8(120 + 2*y), 220, 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The inspector's main flow: requests sent through the Go SDK appear without a reload, a
// stream opens on its timeline and assembled text, a Converse request shows its headers, its
// image and its answer, the filters and the search narrow the list, and the side panels show
// the script's rules with their hit counts.
func TestInspector(t *testing.T) {
	t.Parallel()
	url := serve(t, "--script", "testdata/inspector.yaml")
	p := openPage(t, url)
	if got := p.text("#list-empty"); !strings.Contains(got, "No requests yet") {
		t.Errorf("empty list says %q", got)
	}
	// A mark that a reload would lose.
	eval[bool](p, `window.mark = 'not reloaded', true`)

	ctx := context.Background()
	c := testkit.Client(url, client.WithTestID("checkout"))
	reply := testkit.ReplyText(t, testkit.Converse(t, c, &bedrockruntime.ConverseInput{
		ModelId: aws.String(model),
		System:  []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: "You answer in one sentence."}},
		Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{
			&types.ContentBlockMemberText{Value: "What is the weather in Lisbon, judging by this picture?"},
			&types.ContentBlockMemberImage{Value: types.ImageBlock{Format: types.ImageFormatPng, Source: &types.ImageSourceMemberBytes{Value: picture(t)}}},
		}}},
	}))
	stream := testkit.ConverseStream(t, testkit.Client(url, client.WithTestID("stories")), &bedrockruntime.ConverseStreamInput{
		ModelId:  aws.String(model),
		Messages: []types.Message{testkit.UserText("Tell me a story about streams.")},
	})
	if stream.Err != nil || stream.Text == "" {
		t.Fatalf("stream: %q, %v", stream.Text, stream.Err)
	}
	_, err := c.Converse(ctx, &bedrockruntime.ConverseInput{ModelId: aws.String("no.such-model-v1:0"), Messages: []types.Message{testkit.UserText("hi")}})
	if code := testkit.ErrorCode(err); code != "ValidationException" {
		t.Fatalf("unknown model: %v", err)
	}

	// They appear, newest first, without a reload.
	p.waitJS(`document.querySelectorAll('#list .row[data-seq]').length === 3`, "three rows")
	if mark := eval[string](p, `window.mark`); mark != "not reloaded" {
		t.Errorf("the page was reloaded (mark %q)", mark)
	}
	rows := p.rows()
	if got, want := operations(rows), []string{"Converse", "ConverseStream", "Converse"}; !slices.Equal(got, want) {
		t.Fatalf("rows %q, want %q", got, want)
	}
	for i, want := range []struct{ testID, model, status, errType, answeredBy string }{
		{"checkout", "no.such-model-v1:0", "400", "ValidationException", "validation"},
		{"stories", model, "200", "", `script rule "story"`},
		{"checkout", model, "200", "", `script rule "weather"`},
	} {
		cells := rows[i].Cells
		if cells[colTestID] != want.testID || cells[colModel] != want.model || cells[colStatus] != want.status ||
			cells[colError] != want.errType || !strings.HasPrefix(cells[colAnsweredBy], want.answeredBy) ||
			cells[colTime] == "" || cells[colDuration] == "" {
			t.Errorf("row %d: %q, want %+v", i, cells, want)
		}
	}

	// The stream: its timeline, the events the SDK read, in order, with offsets from the
	// first byte; the text assembled; an event's payload on click.
	p.do(chromedp.Click(chromedp.CSS(`#list .row[data-seq="` + itoa(rows[1].Seq) + `"]`)))
	p.settle()
	p.do(chromedp.Click(chromedp.CSS(`[data-tab=stream]`)))
	p.waitJS(`document.querySelectorAll('#timeline .event').length > 0`, "the timeline")
	type event struct {
		Type   string  `json:"type"`
		Offset float64 `json:"offset"`
	}
	events := eval[[]event](p, `[...document.querySelectorAll('#timeline .event')].map(e => ({type: e.dataset.type, offset: Number(e.dataset.offset)}))`)
	var kinds []string
	for i, e := range events {
		kinds = append(kinds, e.Type)
		if i == 0 && e.Offset != 0 || i > 0 && e.Offset < events[i-1].Offset {
			t.Errorf("event %d (%s) at %v ns: want 0 for the first, then never earlier", i, e.Type, e.Offset)
		}
	}
	if !slices.Equal(kinds, stream.Events) {
		t.Errorf("timeline %q\nthe SDK read %q", kinds, stream.Events)
	}
	if last := events[len(events)-1].Offset; last < 20e6 {
		t.Errorf("the last event is %v ns after the first byte; the script paces the stream over more than 20 ms", last)
	}
	if got := p.text("#assembled .text"); got != stream.Text {
		t.Errorf("assembled %q, want %q", got, stream.Text)
	}
	i := slices.Index(kinds, "contentBlockDelta")
	p.do(chromedp.Click(chromedp.CSS(`#timeline .event:nth-child(` + itoa(int64(i+1)) + `) .ev`)))
	if got := p.text(`#timeline .event:nth-child(` + itoa(int64(i+1)) + `) .payload:not([hidden])`); !strings.Contains(got, `"text": `+quote(stream.Deltas[0])) {
		t.Errorf("the first delta's payload shows %q, want its text %q", got, stream.Deltas[0])
	}
	p.screenshot("stream", "")

	// The Converse request: headers (no credential), system and user text, the image as a
	// thumbnail; the answer.
	p.do(chromedp.Click(chromedp.CSS(`#list .row[data-seq="` + itoa(rows[2].Seq) + `"]`)))
	p.settle()
	p.do(chromedp.Click(chromedp.CSS(`[data-tab=request]`)))
	p.settle()
	if got := p.text("#tab-request .msg.user .text"); got != "What is the weather in Lisbon, judging by this picture?" {
		t.Errorf("user text %q", got)
	}
	if got := p.text("#tab-request .msg.system .text"); got != "You answer in one sentence." {
		t.Errorf("system text %q", got)
	}
	if w := eval[int](p, `(async () => { const img = document.querySelector('#tab-request figure.image img'); await img.decode(); return img.naturalWidth })()`); w != 64 {
		t.Errorf("the image's thumbnail is %d pixels wide, want the picture's 64", w)
	}
	headers := p.text("#tab-request table.headers")
	if !strings.Contains(headers, "Content-Typeapplication/json") || !strings.Contains(headers, "Authorization") {
		t.Errorf("headers %q: want Content-Type and Authorization", headers)
	}
	if sig := regexp.MustCompile(`Signature=[0-9a-f]{64}`); sig.MatchString(headers) {
		t.Errorf("headers %q show the request's signature", headers)
	}
	p.screenshot("converse", "")
	p.do(chromedp.Click(chromedp.CSS(`[data-tab=answer]`)))
	p.settle()
	if got := p.text("#tab-answer .msg.assistant .text"); got != reply {
		t.Errorf("answer %q, want %q", got, reply)
	}

	// Filters: operation, status, test ID, and the search over bodies (typed).
	for _, f := range []struct {
		id, value string
		want      []string
	}{
		{"f-operation", "ConverseStream", []string{"ConverseStream"}},
		{"f-operation", "", []string{"Converse", "ConverseStream", "Converse"}},
		{"f-status", "4xx", []string{"Converse"}},
		{"f-status", "2xx", []string{"ConverseStream", "Converse"}},
		{"f-status", "", []string{"Converse", "ConverseStream", "Converse"}},
		{"f-test", "stories", []string{"ConverseStream"}},
		{"f-test", "(none)", nil},
		{"f-test", "checkout", []string{"Converse", "Converse"}},
	} {
		p.setFilter(f.id, f.value)
		if got := operations(p.rows()); !slices.Equal(got, f.want) {
			t.Errorf("%s=%q: rows %q, want %q", f.id, f.value, got, f.want)
		}
	}
	p.do(chromedp.SendKeys(chromedp.ID("f-q"), "lisbon"))
	p.settle()
	if got := p.rows(); len(got) != 1 || got[0].Seq != rows[2].Seq {
		t.Errorf("search lisbon in test checkout: rows %v, want the weather request only", got)
	}
	if got := p.text("#list-foot"); !strings.HasPrefix(got, "1 of 3 kept match") {
		t.Errorf("footer %q", got)
	}

	// The side panels: the script's rules with the hit counts of the test the list shows
	// (checkout asked for the weather, not for a story); no cassettes.
	p.do(chromedp.Click(chromedp.CSS(`nav [data-view=scripts]`)))
	p.settle()
	rules := eval[[][]string](p, `[...document.querySelectorAll('#view-scripts table.grid tr')].slice(1).map(tr => [...tr.children].map(td => td.textContent))`)
	if len(rules) != 2 || rules[0][0] != "weather" || rules[0][3] != "1" || rules[1][0] != "story" || rules[1][3] != "0" ||
		!strings.HasSuffix(rules[0][1], "inspector.yaml:5") {
		t.Errorf("scripts panel rules %q, want weather answered once and story never in test checkout, weather at inspector.yaml:5", rules)
	}
	p.screenshot("scripts", "")
	p.do(chromedp.Click(chromedp.CSS(`nav [data-view=cassettes]`)))
	p.settle()
	if got := p.text("#view-cassettes .empty"); !strings.Contains(got, "No cassettes") {
		t.Errorf("cassettes panel says %q", got)
	}
}

// An emulator.Server started from Go without fixtures serves the page too; the panels and
// the rule button say that this server has no scripts or cassettes, and the rest works.
func TestWithoutFixtures(t *testing.T) {
	t.Parallel()
	srv := emulator.NewServer()
	t.Cleanup(srv.Close)
	testkit.Converse(t, testkit.Client(srv.URL), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: []types.Message{testkit.UserText("hi")}})
	p := openPage(t, srv.URL)
	for _, panel := range []string{"scripts", "cassettes"} {
		p.do(chromedp.Click(chromedp.CSS(`nav [data-view=` + panel + `]`)))
		p.settle()
		if got := p.text("#view-" + panel + " .empty"); !strings.HasPrefix(got, "No "+panel+" loaded") {
			t.Errorf("%s panel says %q", panel, got)
		}
	}
	p.do(chromedp.Click(chromedp.CSS(`nav [data-view=requests]`)))
	p.do(chromedp.Click(chromedp.CSS(`#list .row[data-seq]`)))
	p.settle()
	p.do(chromedp.Click(chromedp.ID("copy-rule")))
	p.settle()
	if got := p.text("#export-status"); !strings.Contains(got, "no script support") {
		t.Errorf("copy as script rule says %q", got)
	}
}

// The cassettes panel: which interactions of a served cassette were replayed, and the list
// names the interaction that answered.
func TestCassettes(t *testing.T) {
	t.Parallel()
	url := serve(t, "--cassette", "../recorder/testdata/hello.yaml")
	testkit.Converse(t, testkit.Client(url), &bedrockruntime.ConverseInput{ModelId: aws.String("us.amazon.nova-micro-v1:0"), Messages: []types.Message{testkit.UserText("Hello")}})
	p := openPage(t, url)
	if by := p.rows()[0].Cells[colAnsweredBy]; !strings.Contains(by, "hello.yaml") {
		t.Errorf("answered by %q, want the cassette", by)
	}
	p.do(chromedp.Click(chromedp.CSS(`nav [data-view=cassettes]`)))
	p.settle()
	got := eval[[][]string](p, `[...document.querySelectorAll('#view-cassettes table.grid tr')].slice(1).map(tr => [...tr.children].map(td => td.textContent))`)
	want := [][]string{
		{"0", "POST /model/us.amazon.nova-micro-v1%3A0/converse", "200", "1"},
		{"1", "POST /model/us.amazon.nova-micro-v1%3A0/converse-stream", "200", "unused"},
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("cassette panel rows %q, want %q", got, want)
	}
	if head := p.text("#view-cassettes .card h3"); !strings.Contains(head, "1 of 2 used") {
		t.Errorf("cassette heading %q", head)
	}
	p.screenshot("cassettes", "")
}

// The guardrails and prompts served, read-only, each with what it does.
func TestGuardrailsAndPrompts(t *testing.T) {
	t.Parallel()
	url := serve(t, "--guardrails", "../emulator/testdata/guardrails.yaml", "--prompts", "../emulator/testdata/prompts.yaml")
	p := openPage(t, url)
	for _, tt := range []struct {
		panel string
		want  []string // the cards' headings start with, by ID
	}{
		{"guardrails", []string{"5zwrmdlsra2e test-guardrail", "topiconly001"}},
		{"prompts", []string{"CHATPROMPT", "PROMPT12AB"}},
	} {
		p.do(chromedp.Click(chromedp.CSS(`nav [data-view=` + tt.panel + `]`)))
		p.settle()
		got := eval[[]string](p, `[...document.querySelectorAll('#view-`+tt.panel+` .card h3')].map(h => h.textContent)`)
		if len(got) != len(tt.want) {
			t.Fatalf("%s panel: %q, want %d cards", tt.panel, got, len(tt.want))
		}
		for i := range got {
			if !strings.HasPrefix(got[i], tt.want[i]) {
				t.Errorf("%s panel card %d: %q, want it to start %q", tt.panel, i, got[i], tt.want[i])
			}
		}
		if n := p.text("#n-" + tt.panel); n != "2" {
			t.Errorf("%s count %q, want 2", tt.panel, n)
		}
	}
	if got := p.text("#view-guardrails .card li"); !strings.HasPrefix(got, "denied topics: InvestmentObjectives") {
		t.Errorf("the first guardrail's first policy reads %q", got)
	}
	p.screenshot("guardrails", "")
}

// An InvokeModelWithResponseStream's chunks carry the model's own stream in base64: the
// timeline shows them decoded, and the text assembled from their deltas.
func TestInvokeStream(t *testing.T) {
	t.Parallel()
	url := serve(t)
	body := `{"anthropic_version":"bedrock-2023-05-31","max_tokens":200,"messages":[{"role":"user","content":"Tell me about chunks."}]}`
	chunks := testkit.InvokeModelStream(t, testkit.Client(url), &bedrockruntime.InvokeModelWithResponseStreamInput{
		ModelId: aws.String(model), ContentType: aws.String("application/json"), Body: []byte(body)})
	if chunks.Err != nil {
		t.Fatal(chunks.Err)
	}
	var want strings.Builder
	for _, c := range chunks.Chunks {
		var ev struct {
			Delta struct{ Text string } `json:"delta"`
		}
		if err := json.Unmarshal(c, &ev); err != nil {
			t.Fatalf("chunk %s: %v", c, err)
		}
		want.WriteString(ev.Delta.Text)
	}
	p := openPage(t, url)
	p.do(chromedp.Click(chromedp.CSS(`#list .row[data-seq]`)))
	p.settle()
	p.do(chromedp.Click(chromedp.CSS(`[data-tab=stream]`)))
	p.settle()
	if n := eval[int](p, `document.querySelectorAll('#timeline .event').length`); n != len(chunks.Chunks) {
		t.Errorf("timeline of %d events, want the %d chunks", n, len(chunks.Chunks))
	}
	if got := p.text("#assembled .text"); got != want.String() || got == "" {
		t.Errorf("assembled %q, want %q", got, want.String())
	}
	if got := p.text("#timeline .event:first-child .sum"); got != "message_start" {
		t.Errorf("the first chunk reads %q, want its type message_start", got)
	}
}
