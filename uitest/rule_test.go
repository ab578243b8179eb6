package uitest

import (
	"encoding/json"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
	"github.com/chromedp/chromedp"

	"github.com/bedrock-emulator/bedrock-emulator/internal/testkit"
)

// "Copy as script rule" turns a request the default generator answered into a rule; "Load
// into emulator" loads it through the admin API, after the scripts loaded before; the same
// request is then answered by that rule, with the same answer. "Copy as curl" is a command
// that sends the request again.
func TestCopyRule(t *testing.T) {
	t.Parallel()
	url := serve(t, "--script", "testdata/inspector.yaml")
	c := testkit.Client(url)
	in := &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: []types.Message{testkit.UserText("How many moons has Mars?")}}
	want := testkit.ReplyText(t, testkit.Converse(t, c, in))

	p := openPage(t, url)
	rows := p.rows()
	if len(rows) != 1 || rows[0].Cells[colAnsweredBy] != "generator" {
		t.Fatalf("rows %v, want the one request, answered by the generator", rows)
	}
	p.do(chromedp.Click(chromedp.CSS(`#list .row[data-seq="` + itoa(rows[0].Seq) + `"]`)))
	p.settle()
	p.do(chromedp.Click(chromedp.ID("copy-rule")))
	p.waitJS(`document.getElementById('export').open && document.getElementById('export-text').value !== ''`, "the rule")
	yaml := eval[string](p, `document.getElementById('export-text').value`)
	if !strings.Contains(yaml, "How many moons has Mars?") || !strings.Contains(yaml, want) {
		t.Errorf("rule\n%s\nwant it to match the question and answer %q", yaml, want)
	}
	p.screenshot("rule", "")
	p.do(chromedp.Click(chromedp.ID("export-load")))
	p.waitJS(`document.getElementById('export-status').textContent.startsWith('Loaded')`, "the rule loaded")

	// The admin API has it, after the script served.
	res, err := http.Get(url + "/_emulator/scripts")
	if err != nil {
		t.Fatal(err)
	}
	var status struct{ Scripts []struct{ Name string } }
	err = json.NewDecoder(res.Body).Decode(&status)
	res.Body.Close()
	if err != nil || len(status.Scripts) != 2 || !strings.HasPrefix(status.Scripts[1].Name, "inspector: rule from request #") {
		t.Fatalf("scripts %+v (%v), want testdata/inspector.yaml and the rule loaded from the page", status, err)
	}

	// The same request, answered by the rule.
	if got := testkit.ReplyText(t, testkit.Converse(t, c, in)); got != want {
		t.Errorf("answer %q, want the rule's %q", got, want)
	}
	p.waitJS(`document.querySelectorAll('#list .row[data-seq]').length === 2`, "the second request")
	if by := p.rows()[0].Cells[colAnsweredBy]; !strings.HasPrefix(by, `script rule`) || !strings.Contains(by, "inspector: rule from request #") {
		t.Errorf("the second request was answered by %q, want the loaded rule", by)
	}

	// Copy as curl: the command sends the request again.
	p.do(chromedp.Click(chromedp.CSS(`#export button[value=close]`)))
	p.do(chromedp.Click(chromedp.ID("copy-curl")))
	p.waitJS(`document.getElementById('export').open && document.getElementById('export-text').value.startsWith('curl')`, "the curl command")
	command := eval[string](p, `document.getElementById('export-text').value`)
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skipf("curl is not installed: the command is not run\n%s", command)
	}
	out, err := exec.Command("sh", "-c", command).CombinedOutput()
	if err != nil {
		t.Fatalf("%s\n%v: %s", command, err, out)
	}
	var reply struct {
		Output struct {
			Message struct{ Content []struct{ Text string } }
		}
	}
	if err := json.Unmarshal(out, &reply); err != nil || len(reply.Output.Message.Content) != 1 || reply.Output.Message.Content[0].Text != want {
		t.Errorf("%s\nanswered %s (%v), want %q", command, out, err, want)
	}
}

// With an admin token the page answers 401, saying how to give the token; ?token= with the
// right one sets a cookie the page's script cannot read, and takes the token out of the
// address; the page then works.
func TestAdminToken(t *testing.T) {
	t.Parallel()
	url := serve(t, "--admin-token", "s3cret")
	p := newPage(t, url)
	for _, path := range []string{"/_emulator/ui/", "/_emulator/ui/?token=wrong"} {
		ctx, cancel := contextOf(p)
		res, err := chromedp.Run(ctx, chromedp.NavigateResponse(url+path))
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if body := p.text("body"); res.Status != http.StatusUnauthorized || !strings.Contains(body, "?token=") {
			t.Errorf("GET %s: %d %q, want 401 saying to open ?token=", path, res.Status, body)
		}
	}
	p.open("/_emulator/ui/?token=s3cret")
	if got := eval[string](p, `location.href`); got != url+"/_emulator/ui/" {
		t.Errorf("after ?token=, the address is %s, want %s/_emulator/ui/", got, url)
	}
	if got := eval[string](p, `document.cookie`); got != "" {
		t.Errorf("the page's script reads the cookie %q: want it HttpOnly", got)
	}
	testkit.Converse(t, testkit.Client(url), &bedrockruntime.ConverseInput{ModelId: aws.String(model), Messages: []types.Message{testkit.UserText("hi")}})
	p.waitJS(`document.querySelectorAll('#list .row[data-seq]').length === 1`, "the request, listed with the cookie")
	if got := p.text("#live"); got != "live" {
		t.Errorf("live indicator %q", got)
	}
	if !eval[bool](p, `document.getElementById('auth').hidden`) {
		t.Error("the page asks for the token although it has it")
	}
}
