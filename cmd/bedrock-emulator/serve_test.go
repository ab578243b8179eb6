package main

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
)

// TestServeStop: a stop with nothing in flight drains and exits 0, saying so; one whose
// request outlasts --shutdown-grace exits 2 at the end of the grace, saying why. Serving
// beyond loopback with the admin API open and no token warns once at start.
func TestServeStop(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		args     []string
		inFlight bool
		code     int
		want     []string
		not      []string
	}{
		{"clean drain", []string{"--addr", "127.0.0.1:0"}, false, 0,
			[]string{"stopping", "stopped"}, []string{"admin API"}},
		{"grace ends", []string{"--addr", "127.0.0.1:0", "--shutdown-grace", "300ms"}, true, 2,
			[]string{"requests still in flight after --shutdown-grace 300ms"}, []string{"msg=stopped"}},
		{"open admin", []string{"--addr", "0.0.0.0:0"}, false, 0,
			[]string{"the admin API (/_emulator) is open to every host", "--admin-token"}, nil},
		{"admin token", []string{"--addr", "0.0.0.0:0", "--admin-token", "t"}, false, 0, nil, []string{"admin API"}},
		{"no admin", []string{"--addr", "0.0.0.0:0", "--no-admin"}, false, 0, nil, []string{"admin API"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cmd, url, stderr := start(t, nil, append([]string{"serve"}, tc.args...)...)
			if tc.inFlight {
				// A request whose body never ends keeps its connection in flight: the server's
				// "100 Continue" says its handler is reading the body.
				conn, err := net.Dial("tcp", strings.TrimPrefix(url, "http://"))
				if err != nil {
					t.Fatal(err)
				}
				defer conn.Close()
				fmt.Fprintf(conn, "POST /model/m/converse HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer x\r\n"+
					"Content-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n")
				line, err := bufio.NewReader(conn).ReadString('\n')
				if !strings.Contains(line, "100 Continue") {
					t.Fatalf("read %q, %v; want 100 Continue", line, err)
				}
				fmt.Fprintf(conn, "{")
			}
			cmd.Process.Signal(syscall.SIGTERM)
			cmd.Wait()
			out := stderr.String()
			if code := cmd.ProcessState.ExitCode(); code != tc.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tc.code, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("stderr lacks %q:\n%s", w, out)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(out, n) {
					t.Errorf("stderr has %q:\n%s", n, out)
				}
			}
		})
	}
}
