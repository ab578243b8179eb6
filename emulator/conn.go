package emulator

import (
	"net"
	"sync"
	"time"
)

// Go's HTTP/2 server reads a request's header block (a HEADERS frame and its CONTINUATION
// frames) with no deadline of its own: net/http clears the header deadline when it hands an
// unencrypted HTTP/2 connection over, and only the idle timeout (2 minutes) ends a client
// that dribbles a header block one frame at a time (issue 13, item 8). headerLimitListener
// gives each header block the same limit as HTTP/1.1's headers (ReadHeaderTimeout) from its
// first frame: it follows the frame boundaries of the bytes read, and arms the connection's
// read deadline while a block is open.

// h2Preface opens every HTTP/2 connection with prior knowledge (RFC 9113 §3.4).
const h2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

// HTTP/2 frame types and the flag that ends a header block (RFC 9113 §6.2, §6.10).
const (
	h2FrameHeaders      = 0x1
	h2FrameContinuation = 0x9
	h2FlagEndHeaders    = 0x4
	h2FrameHeaderLen    = 9
)

// headerLimitListener wraps the connections it accepts in headerLimitConn.
type headerLimitListener struct {
	net.Listener
	limit time.Duration
}

func (l headerLimitListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &headerLimitConn{Conn: c, limit: l.limit}, nil
}

// headerLimitConn is a connection whose HTTP/2 header blocks must arrive within limit of
// their first frame. An HTTP/1.1 connection passes through: net/http bounds its headers.
type headerLimitConn struct {
	net.Conn
	limit time.Duration

	// The read side's state, touched by Read only (one reader at a time, as net/http reads).
	preface int // bytes of h2Preface seen; -1 on a connection that is not HTTP/2
	head    [h2FrameHeaderLen]byte
	nhead   int  // bytes of the current frame header seen
	left    int  // bytes of the current frame's payload still to come
	ends    bool // the current frame ends a header block

	mu       sync.Mutex
	want     time.Time // the read deadline the server asked for
	blockEnd time.Time // while a header block is open, when it must be complete
}

func (c *headerLimitConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if c.preface >= 0 {
		c.scan(p[:n])
	}
	return n, err
}

// scan follows the frames in b, the next bytes read.
func (c *headerLimitConn) scan(b []byte) {
	for len(b) > 0 {
		switch {
		case c.preface < len(h2Preface):
			k := min(len(b), len(h2Preface)-c.preface)
			if string(b[:k]) != h2Preface[c.preface:c.preface+k] {
				c.preface = -1 // HTTP/1.1
				return
			}
			c.preface += k
			b = b[k:]
		case c.left > 0:
			k := min(len(b), c.left)
			c.left -= k
			b = b[k:]
			if c.left == 0 && c.ends {
				c.block(false)
			}
		default:
			k := copy(c.head[c.nhead:], b)
			c.nhead += k
			b = b[k:]
			if c.nhead < h2FrameHeaderLen {
				return
			}
			c.nhead = 0
			c.left = int(c.head[0])<<16 | int(c.head[1])<<8 | int(c.head[2])
			typ, flags := c.head[3], c.head[4]
			c.ends = false
			if typ == h2FrameHeaders || typ == h2FrameContinuation {
				c.block(true)
				c.ends = flags&h2FlagEndHeaders != 0
			}
			if c.left == 0 && c.ends {
				c.block(false)
			}
		}
	}
}

// block opens a header block (starting its limit, unless one is open) or closes it.
func (c *headerLimitConn) block(open bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case open && c.blockEnd.IsZero():
		c.blockEnd = time.Now().Add(c.limit)
	case !open:
		c.blockEnd = time.Time{}
	default:
		return
	}
	c.applyLocked()
}

// applyLocked sets the read deadline: the server's, or the open header block's if earlier.
func (c *headerLimitConn) applyLocked() {
	d := c.want
	if !c.blockEnd.IsZero() && (d.IsZero() || c.blockEnd.Before(d)) {
		d = c.blockEnd
	}
	c.Conn.SetReadDeadline(d)
}

func (c *headerLimitConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.want = t
	c.applyLocked()
	return nil
}

func (c *headerLimitConn) SetDeadline(t time.Time) error {
	c.SetReadDeadline(t)
	return c.Conn.SetWriteDeadline(t)
}

// CloseWrite and SetLinger are those of the TCP connection underneath: net/http half-closes
// a connection it is done with (so the client reads the last answer before the close), and
// breakConnection resets one.
func (c *headerLimitConn) CloseWrite() error {
	if tc, ok := c.Conn.(*net.TCPConn); ok {
		return tc.CloseWrite()
	}
	return nil
}

func (c *headerLimitConn) SetLinger(sec int) error {
	if tc, ok := c.Conn.(*net.TCPConn); ok {
		return tc.SetLinger(sec)
	}
	return nil
}
