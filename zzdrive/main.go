package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"time"

	"github.com/bedrock-emulator/bedrock-emulator/internal/loadgen"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:18080", "")
	d := flag.Duration("d", 10*time.Second, "")
	flag.Parse()
	body := []byte(`{"inferenceConfig":{"maxTokens":512,"temperature":0.5},"messages":[{"content":[{"text":"What is the capital of France? Answer in one word."}],"role":"user"}],"system":[{"text":"You are a concise assistant."}]}`)
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261206/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")
	h.Set("X-Amz-Date", "20261206T120000Z")
	h.Set("User-Agent", "aws-sdk-go-v2/1.39.0 ua/2.1 os/linux lang/go#1.26 md/GOOS#linux md/GOARCH#amd64 api/bedrockruntime#1.40.0")
	h.Set("Amz-Sdk-Invocation-Id", "0b6f6b0e-8d8e-4f8e-9f8e-000000000000")
	h.Set("Amz-Sdk-Request", "attempt=1; max=1")
	h.Set("Accept-Encoding", "identity")
	res, err := loadgen.Run(context.Background(), loadgen.Target{URL: *url + "/model/anthropic.claude-3-haiku-20240307-v1:0/converse", Header: h, Body: body}, loadgen.Config{Concurrency: 8, Duration: *d})
	fmt.Println(res.Requests, res.Errors, res.PerSecond(), err)
}
