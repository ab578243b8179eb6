package logbuf_test

import (
	"log/slog"
	"os"
	"time"

	"github.com/bedrock-emulator/bedrock-emulator/internal/logbuf"
)

func Example() {
	w := logbuf.New(os.Stdout, 2*time.Millisecond)
	defer w.Close() // writes out the last lines
	log := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // a line the example can show
			}
			return a
		},
	}))
	log.Info("request", "op", "Converse", "status", 200)
	log.Info("request", "op", "ConverseStream", "status", 200)
	w.Flush()
	// Output:
	// level=INFO msg=request op=Converse status=200
	// level=INFO msg=request op=ConverseStream status=200
}
