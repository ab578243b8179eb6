package emulator

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"
)

// Server is an emulator listening on a real port, in the shape of net/http/httptest.Server:
// point an AWS SDK at URL, and Close it when done.
type Server struct {
	// URL is the base URL of the server, "http://127.0.0.1:PORT", with no trailing slash.
	URL string
	// Listener is the listener the server accepts on.
	Listener net.Listener

	srv     *http.Server
	handler *handler
	done    chan struct{}
}

// NewServer starts an emulator on Options.Addr (by default 127.0.0.1 and a free port) and
// returns it. It panics if it cannot listen, as httptest.NewServer does; use Start to get an
// error instead. The caller must Close it.
func NewServer(opts ...func(*Options)) *Server {
	s, err := Start(opts...)
	if err != nil {
		panic("emulator: " + err.Error())
	}
	return s
}

// Start starts an emulator on Options.Addr and returns it, or the error that kept it from
// listening. The caller must Close or Shutdown it.
func Start(opts ...func(*Options)) (*Server, error) {
	o := buildOptions(opts)
	h, err := newHandler(o)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", o.Addr, err)
	}
	// HTTP/1.1 and HTTP/2 over cleartext (prior knowledge): Bedrock Runtime speaks h2
	// (its API model: protocolSettings h2 optional), and the AWS SDK for JavaScript v3
	// sends h2 to an http:// endpoint.
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	protocols.SetUnencryptedHTTP2(true)
	s := &Server{
		URL:      "http://" + dialable(ln.Addr()),
		Listener: ln,
		handler:  h,
		done:     make(chan struct{}),
		srv: &http.Server{
			Handler:           h.routes(),
			Protocols:         &protocols,
			ReadHeaderTimeout: min(o.ReadTimeout, maxHeaderTimeout),
			ReadTimeout:       o.ReadTimeout, // the body too; never cuts a reply (see guard.go)
			IdleTimeout:       2 * time.Minute,
		},
	}
	s.srv.RegisterOnShutdown(h.stop)
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(headerLimitListener{ln, s.srv.ReadHeaderTimeout}); err != nil && !errors.Is(err, http.ErrServerClosed) {
			o.Logger.Error("serve", "err", err)
		}
	}()
	return s, nil
}

// dialable is addr as a client reaches it: an unspecified IP ("0.0.0.0", "::") becomes
// loopback.
func dialable(addr net.Addr) string {
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		return net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
	}
	return addr.String()
}

// NewHandler returns the emulator as an http.Handler, to mount in a server of one's own, or
// the error that keeps Options from being used (an invalid ModelsFile).
func NewHandler(opts ...func(*Options)) (http.Handler, error) {
	h, err := newHandler(buildOptions(opts))
	if err != nil {
		return nil, err
	}
	return h.routes(), nil
}

// Requests returns the requests the server received, oldest first, with what it answered
// (at most Options.JournalSize of the latest). A request is there by the time its client
// has the answer: a stream's before its end, or its exception frame, reaches the client.
func (s *Server) Requests() []Entry { return s.handler.journal.list() }

// ResetRequests empties the journal.
func (s *Server) ResetRequests() { s.handler.journal.reset() }

// Wait blocks until the server has journaled n requests since the journal was last reset,
// or ctx ends, and returns the journal as Requests does. A request is journaled once it is
// answered: an error or a JSON body before the client can read its end, a stream once it has
// ended. It returns ctx's error if ctx ends first.
func (s *Server) Wait(ctx context.Context, n int) ([]Entry, error) {
	var entries []Entry
	err := s.handler.journal.wait(ctx, func() bool {
		var added int
		entries, added = s.handler.journal.snapshot()
		return added >= n
	})
	return entries, err
}

// WaitFunc blocks until done reports true of the journal (as Requests returns it), called
// now and each time a request is journaled or the journal is reset, or until ctx ends; it
// returns the journal done accepted, or ctx's error.
func (s *Server) WaitFunc(ctx context.Context, done func(entries []Entry) bool) ([]Entry, error) {
	var entries []Entry
	err := s.handler.journal.wait(ctx, func() bool {
		entries = s.handler.journal.list()
		return done(entries)
	})
	return entries, err
}

// Handler returns the server's http.Handler.
func (s *Server) Handler() http.Handler { return s.srv.Handler }

// Shutdown stops accepting requests and waits, until ctx ends, for those in flight
// (streams included) to finish.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	if err == nil {
		<-s.done
	}
	return err
}

// Close shuts the server down and blocks until all requests in flight have finished.
func (s *Server) Close() {
	if err := s.Shutdown(context.Background()); err != nil {
		s.srv.Close()
	}
}
