package testkit

// Raw HTTP/2 for tests that misbehave on purpose (a header block never finished, a body
// declared and never sent), which no HTTP/2 client sends: golang.org/x/net/http2 is not in
// the module's graph, and Go's own client cannot be made to.

// H2Preface opens an HTTP/2 connection with prior knowledge (RFC 9113 §3.4).
const H2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

// HTTP/2 frame types and flags (RFC 9113 §6).
const (
	H2Data         = 0x0
	H2Headers      = 0x1
	H2Settings     = 0x4
	H2Continuation = 0x9

	H2EndStream  = 0x1
	H2EndHeaders = 0x4
)

// H2Frame is an HTTP/2 frame (RFC 9113 §4.1).
func H2Frame(typ, flags byte, stream uint32, payload []byte) []byte {
	n := len(payload)
	return append([]byte{byte(n >> 16), byte(n >> 8), byte(n), typ, flags,
		byte(stream >> 24), byte(stream >> 16), byte(stream >> 8), byte(stream)}, payload...)
}

// HPACKLiteral appends to b a header field as an HPACK literal without indexing, with a new
// name and no Huffman coding (RFC 7541 §6.2.2), which every decoder takes.
func HPACKLiteral(b []byte, name, value string) []byte {
	b = append(b, 0)
	b = hpackString(b, name)
	return hpackString(b, value)
}

// hpackString appends s with its length as a 7-bit-prefix integer (RFC 7541 §5.1, §5.2).
func hpackString(b []byte, s string) []byte {
	n := len(s)
	if n < 127 {
		b = append(b, byte(n))
	} else {
		b = append(b, 127)
		for n -= 127; n >= 128; n >>= 7 {
			b = append(b, byte(n%128+128))
		}
		b = append(b, byte(n))
	}
	return append(b, s...)
}
