package recorder

import (
	"context"
	"net"
	"net/http"
	"time"
)

// Serve serves p on ln until ctx ends, saving the cassette every saveEvery (which must be
// positive) as AutoSave does. Then it stops taking requests, waits up to 30 seconds for
// those in flight, so that streams are recorded whole, and saves once more: its error is
// that save's. This is what `bedrock-emulator record` runs.
func (p *Proxy) Serve(ctx context.Context, ln net.Listener, saveEvery time.Duration) error {
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	saving, stopSaving := context.WithCancel(ctx)
	defer stopSaving()
	go p.AutoSave(saving, saveEvery)

	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	srv.Shutdown(shutdown) // waits for streams in flight, so that they are saved whole
	stopSaving()
	return p.Save()
}
