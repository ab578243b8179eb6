package emulator

import (
	"strconv"
	"unicode/utf8"
)

// Hand-written JSON for the shapes the hot path writes most (stream deltas, Converse text
// replies). Each writes exactly what encodeJSON writes for the matching wire struct, which
// the tests check byte for byte; encodeJSON stays the reference and renders everything else.

// appendJSONString appends s as a JSON string exactly as encoding/json does with
// SetEscapeHTML(false): '"' and '\\' escaped, control characters as \b \f \n \r \t or
// \u00XX, U+2028 and U+2029 as \u2028 and \u2029, invalid UTF-8 as \ufffd, everything else
// raw. (A copy of encoding/json's appendString, Go 1.26, with escapeHTML false.)
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendJSONInt appends "name": and the integer n; name needs no escaping.
func appendJSONInt(dst []byte, name string, n int64) []byte {
	dst = append(dst, '"')
	dst = append(dst, name...)
	dst = append(dst, '"', ':')
	return strconv.AppendInt(dst, n, 10)
}
