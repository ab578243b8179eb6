package cassette

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/bedrock-emulator/bedrock-emulator/internal/api"
)

// Show writes the cassette's interactions for a person to read: each request (operation,
// model, body) and its response (status, error type, body, or the stream's events with their
// arrival offsets and payloads).
func (c *Cassette) Show(w io.Writer) error {
	fmt.Fprintf(w, "%s: %d interaction(s)\n", c.Name, len(c.Interactions))
	for _, i := range c.Interactions {
		fmt.Fprintln(w)
		req := &i.Request
		if op, model, ok := api.ModelOperation(req.URL); ok {
			fmt.Fprintf(w, "#%d %s %s %s\n", i.ID, req.Method, op, model)
		} else {
			fmt.Fprintf(w, "#%d %s %s\n", i.ID, req.Method, req.URL)
		}
		fmt.Fprintf(w, "  request:  %s\n", readable(req.Body))
		r := &i.Response
		status := r.Status
		if status == "" {
			status = fmt.Sprint(r.StatusCode())
		}
		fmt.Fprintf(w, "  response: %s", status)
		if et := WireHeader(r.Headers)["x-amzn-ErrorType"]; len(et) > 0 {
			fmt.Fprintf(w, " %s", et[0])
		}
		if r.Duration > 0 {
			fmt.Fprintf(w, " after %v", r.Duration)
		}
		if r.Frames == nil {
			fmt.Fprintf(w, "\n  body:     %s\n", readable(r.Body))
			continue
		}
		fmt.Fprintf(w, ", %d frame(s)\n", len(r.Frames))
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, f := range r.Frames {
			at := ""
			if f.At > 0 {
				at = "+" + f.At.String()
			}
			switch {
			case f.Raw != "":
				fmt.Fprintf(tw, "    %s\traw\t%d bytes that are not an event-stream message\n", at, len(f.Raw))
			case f.Header(":message-type") == "exception":
				fmt.Fprintf(tw, "    %s\texception %s\t%s\n", at, f.Header(":exception-type"), f.Payload)
			case f.Header(":message-type") == "error":
				fmt.Fprintf(tw, "    %s\terror %s\t%s\n", at, f.Header(":error-code"), f.Header(":error-message"))
			default:
				fmt.Fprintf(tw, "    %s\t%s\t%s\n", at, f.Header(":event-type"), f.Payload)
			}
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// readable is a body on one line: JSON compacted, anything else quoted.
func readable(body string) string {
	if body == "" {
		return "(none)"
	}
	if json.Valid([]byte(body)) {
		var buf bytes.Buffer
		json.Compact(&buf, []byte(body))
		return buf.String()
	}
	return fmt.Sprintf("%q", body)
}
