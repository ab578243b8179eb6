package cassette

import (
	"fmt"
	"io"
	"os"
)

// ImportFiles imports the recordings in the files at paths (any format Import reads, with
// importOpts) into one cassette named name, redacting every interaction (Redact, with
// redactOpts). note, when not nil, receives what Import changed or made up, file by file.
func ImportFiles(name string, paths []string, note func(path, note string), importOpts []func(*ImportOptions), redactOpts ...func(*RedactOptions)) (*Cassette, error) {
	c := New(name)
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		imported, notes, err := Import(path, data, importOpts...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		for _, n := range notes {
			if note != nil {
				note(path, n)
			}
		}
		for _, i := range imported.Interactions {
			Redact(i, redactOpts...)
			c.Add(i)
		}
	}
	return c, nil
}

// Write writes the cassette's YAML text to w, as Save writes it to a file, and refuses as
// Save does (an error wrapping ErrSecret) when Scan finds a secret in it.
func (c *Cassette) Write(w io.Writer) error {
	if err := Scan(c); err != nil {
		return err
	}
	data, err := c.Marshal()
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// ShowFiles writes, for a person to read (Show), the recordings in the files at paths, in
// any format Import reads, separated by blank lines.
func ShowFiles(w io.Writer, paths []string, opts ...func(*ImportOptions)) error {
	for n, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		c, _, err := Import(path, data, opts...)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if n > 0 {
			fmt.Fprintln(w)
		}
		if err := c.Show(w); err != nil {
			return err
		}
	}
	return nil
}
