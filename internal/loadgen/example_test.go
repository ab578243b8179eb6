package loadgen_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/bedrock-emulator/bedrock-emulator/internal/loadgen"
)

func ExampleRun() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()

	res, err := loadgen.Run(context.Background(), loadgen.Target{URL: srv.URL, Body: []byte(`{}`)},
		loadgen.Config{Concurrency: 4, Requests: 100})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Requests, "requests,", res.Errors, "errors,", res.Bytes, "bytes")
	// Output: 100 requests, 0 errors, 1100 bytes
}
