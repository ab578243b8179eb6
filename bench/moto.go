package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"

	"github.com/bedrock-emulator/bedrock-emulator/client"
	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// motoRow names the moto comparison in the table.
const motoRow = "Converse vs moto_server InvokeModel, requests/s"

// measureMoto compares the emulator's Converse with moto's server answering InvokeModel
// (moto's Bedrock Runtime implements no Converse), same driver, same workers, alternating.
// It is skipped when moto_server is not installed.
func measureMoto(ctx context.Context, cfg config, emu *emulator.Server, converse *request) (row, error) {
	bin, err := exec.LookPath("moto_server")
	if err != nil {
		return skipped(motoRow, "—", "moto_server is not on PATH (pip install 'moto[server]' where PyPI is reachable); the moto comparison was skipped."), nil
	}
	port, err := freePort()
	if err != nil {
		return row{}, err
	}
	cmd := exec.Command(bin, "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	if err := cmd.Start(); err != nil {
		return row{}, fmt.Errorf("moto_server: %w", err)
	}
	p := &process{cmd: cmd, URL: "http://127.0.0.1:" + strconv.Itoa(port)}
	defer p.signal(os.Interrupt) // Werkzeug stops on Ctrl-C
	if err := waitHealthy(ctx, p.URL+"/moto-api/", 60*time.Second); err != nil {
		return row{}, fmt.Errorf("moto_server: %w", err)
	}

	// Capture InvokeModel as the Go SDK sends it to moto.
	cp := &capture{inner: &http.Client{}}
	brt := client.New(p.URL, func(o *bedrockruntime.Options) { o.HTTPClient = cp; o.RetryMaxAttempts = 1 })
	if _, err := brt.InvokeModel(ctx, &bedrockruntime.InvokeModelInput{
		ModelId:     aws.String(modelID),
		ContentType: aws.String("application/json"),
		Accept:      aws.String("application/json"),
		Body:        []byte(`{"anthropic_version":"bedrock-2023-05-31","max_tokens":512,"system":"You are a concise assistant.","messages":[{"role":"user","content":"What is the capital of France? Answer in one word."}]}`),
	}); err != nil {
		return row{}, fmt.Errorf("moto_server InvokeModel: %w", err)
	}
	invoke := cp.last

	c, err := alternate(ctx, cfg, cfg.concurrency, converse.target(emu.URL), invoke.target(p.URL))
	if err != nil {
		return row{}, err
	}
	e, m := c.total[0], c.total[1]
	return row{
		name:     motoRow,
		emulator: rate(e.PerSecond()), reference: rate(m.PerSecond()) + " moto", ratio: ratio(c.ratio(0, 1)),
		note: fmt.Sprintf("moto_server %s (Werkzeug, one connection per request) answering InvokeModel with {}; the emulator answering Converse in full. Same driver, %d workers, alternating.",
			motoVersion(), cfg.concurrency),
	}, nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func motoVersion() string {
	out, err := exec.Command("python3", "-c", "import moto; print(moto.__version__)").Output()
	if err != nil {
		return "(version unknown)"
	}
	return strings.TrimSpace(string(out))
}
