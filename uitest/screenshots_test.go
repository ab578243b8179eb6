package uitest

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/chromedp/chromedp"

	"github.com/bedrock-emulator/bedrock-emulator/client"
	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// The README's pictures, from a morning's traffic through the example scripts: an agent's
// tool loop, a throttled call and its retries, a paced stream, a stream broken by an
// exception frame, an image, a bad model. It checks what the pictures show: a tool call and
// its result, the exception frame ending the broken stream.
func TestScreenshots(t *testing.T) {
	t.Parallel()
	url := serve(t, "--script", "../fixtures/examples/agent.yaml", "--script", "../fixtures/examples/throttling.yaml",
		"--script", "../fixtures/examples/broken-stream.yaml", "--script", "../fixtures/examples/image.yaml",
		"--script", "testdata/inspector.yaml")
	ctx := context.Background()
	as := func(id string) *bedrockruntime.Client { return testkit.Client(url, client.WithTestID(id)) }
	user := func(blocks ...types.ContentBlock) types.Message {
		return types.Message{Role: types.ConversationRoleUser, Content: blocks}
	}
	text := func(s string) types.ContentBlock { return &types.ContentBlockMemberText{Value: s} }

	// An agent's loop: a tool call, then the answer to its result.
	tools := &types.ToolConfiguration{Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{
		Name: aws.String("get_weather"), Description: aws.String("The weather now in a city."),
		InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(map[string]any{
			"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}, "required": []string{"city"}})},
	}}}}
	question := user(text("What is the weather in Lisbon?"))
	out := testkit.Converse(t, as("test_agent_loop"), &bedrockruntime.ConverseInput{ModelId: aws.String(model), ToolConfig: tools, Messages: []types.Message{question}})
	call := testkit.Message(t, out)
	var id *string
	for _, b := range call.Content {
		if u, ok := b.(*types.ContentBlockMemberToolUse); ok {
			id = u.Value.ToolUseId
		}
	}
	testkit.Converse(t, as("test_agent_loop"), &bedrockruntime.ConverseInput{ModelId: aws.String(model), ToolConfig: tools,
		Messages: []types.Message{question, call, testkit.ToolResultText(id, `{"temperature": 24, "sky": "clear"}`)}})
	// Throttled twice, then through.
	for range 3 {
		as("test_retries").Converse(ctx, &bedrockruntime.ConverseInput{ModelId: aws.String("amazon.nova-micro-v1:0"), Messages: []types.Message{user(text("Please throttle me"))}})
	}
	// A stream broken by an exception frame, a paced one, an image, a bad model.
	broken, err := as("test_streams").ConverseStream(ctx, &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model), Messages: []types.Message{user(text("Call the tool, please"))}})
	if err != nil {
		t.Fatal(err)
	}
	if s := testkit.ReadStream(t, broken); s.Err == nil {
		t.Fatal("the broken stream ended whole")
	}
	story := testkit.ConverseStream(t, as("test_streams"), &bedrockruntime.ConverseStreamInput{ModelId: aws.String(model), Messages: []types.Message{user(text("Tell me a story about streams."))}})
	testkit.Converse(t, as("test_vision"), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: []types.Message{user(
		text("Image 1:"), &types.ContentBlockMemberImage{Value: types.ImageBlock{Format: types.ImageFormatPng, Source: &types.ImageSourceMemberBytes{Value: picture(t)}}},
		text("Describe the image."))}})
	as("test_vision").Converse(ctx, &bedrockruntime.ConverseInput{ModelId: aws.String("anthropic.claude-9"), Messages: []types.Message{user(text("hi"))}})

	p := openPage(t, url)
	rows := p.rows()
	if len(rows) != 9 {
		t.Fatalf("%d rows, want the 9 requests sent", len(rows))
	}
	openRow := func(i int, tab string) {
		t.Helper()
		p.do(chromedp.Click(chromedp.CSS(`#list .row[data-seq="` + itoa(rows[i].Seq) + `"]`)))
		p.settle()
		p.do(chromedp.Click(chromedp.CSS(`[data-tab=` + tab + `]`)))
		p.settle()
	}

	// The paced stream (third from the top), open on its timeline.
	openRow(2, "stream")
	if got := p.text("#assembled .text"); got != story.Text {
		t.Errorf("assembled %q, want %q", got, story.Text)
	}
	p.do(chromedp.Click(chromedp.CSS(`#timeline .event:nth-child(3) .ev`)))
	p.screenshot("stream", "ui.png")

	// The broken stream ends with its exception frame, marked; its answer says so.
	openRow(3, "stream")
	last := eval[[]string](p, `(() => { const e = [...document.querySelectorAll('#timeline .event')].pop(); return [e.dataset.type, e.className] })()`)
	if last[0] != "modelStreamErrorException" || !strings.Contains(last[1], "err") {
		t.Errorf("the broken stream's last event is %q", last)
	}
	openRow(3, "answer")
	if got := p.text("#tab-answer .error strong"); got != "ModelStreamErrorException" {
		t.Errorf("the broken stream's answer shows error %q", got)
	}

	// The agent's second call: the tool call and its result in the conversation.
	openRow(7, "request")
	if got := p.text("#tab-request .tool.use code"); got != "get_weather" {
		t.Errorf("the tool call shows %q", got)
	}
	if got := p.text("#tab-request .tool.result .text"); !strings.Contains(got, `"temperature": 24`) {
		t.Errorf("the tool result shows %q", got)
	}
	if got := p.text("#tab-request .tools summary"); !strings.HasPrefix(got, "get_weather") {
		t.Errorf("the tool spec shows %q (folded)", got)
	}

	// The image, as a thumbnail.
	openRow(1, "request")
	eval[bool](p, `document.querySelector('#tab-request figure.image').scrollIntoView({block: 'center'}), true`)
	p.screenshot("request", "ui-request.png")
}
