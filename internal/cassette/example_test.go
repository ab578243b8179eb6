package cassette_test

import (
	"net/http"
	"os"

	"github.com/bedrock-emulator/bedrock-emulator/internal/cassette"
)

// A cassette is go-vcr's format; a stream's body is its frames, one per event, which Show
// lists and Encode turns back into the bytes Bedrock sent.
func ExampleCassette_Show() {
	c := cassette.New("hello.yaml")
	i := &cassette.Interaction{}
	i.Request.Method = http.MethodPost
	i.Request.URL = "https://bedrock-runtime.us-east-1.amazonaws.com/model/us.amazon.nova-micro-v1%3A0/converse-stream"
	i.Request.Body = `{"messages":[{"role":"user","content":[{"text":"Hi"}]}]}`
	i.Response.Code = 200
	i.Response.Status = "200 OK"
	i.Response.Headers = http.Header{"Content-Type": {"application/vnd.amazon.eventstream"}}
	event := func(typ, payload string) cassette.Frame {
		return cassette.Frame{Headers: cassette.Headers{
			{Name: ":event-type", Value: typ},
			{Name: ":content-type", Value: "application/json"},
			{Name: ":message-type", Value: "event"},
		}, Payload: payload}
	}
	i.Response.Frames = []cassette.Frame{
		event("messageStart", `{"p":"abcd","role":"assistant"}`),
		event("contentBlockDelta", `{"contentBlockIndex":0,"delta":{"text":"Hello!"},"p":"ab"}`),
		event("contentBlockStop", `{"contentBlockIndex":0,"p":"abcdefg"}`),
		event("messageStop", `{"p":"abc","stopReason":"end_turn"}`),
	}
	c.Add(i)
	c.Show(os.Stdout)
	// Output:
	// hello.yaml: 1 interaction(s)
	//
	// #0 POST ConverseStream us.amazon.nova-micro-v1:0
	//   request:  {"messages":[{"role":"user","content":[{"text":"Hi"}]}]}
	//   response: 200 OK, 4 frame(s)
	//       messageStart       {"p":"abcd","role":"assistant"}
	//       contentBlockDelta  {"contentBlockIndex":0,"delta":{"text":"Hello!"},"p":"ab"}
	//       contentBlockStop   {"contentBlockIndex":0,"p":"abcdefg"}
	//       messageStop        {"p":"abc","stopReason":"end_turn"}
}
