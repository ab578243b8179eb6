package repocheck

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// wireFacts is the page every wire fact is cited from.
const wireFacts = "docs/wire-facts.md"

// forbidden are what no tracked file may contain, each with the reason. The notes' names are
// put together at run time so that this file does not name them itself.
var forbidden = []struct {
	re     *regexp.Regexp
	reason string
}{
	{regexp.MustCompile(`(?:^|[^A-Za-z0-9_.~$-])/(?:work|home|root|Users)/[A-Za-z0-9_./-]+`),
		"names a path of a developer machine"},
	// A file under /tmp as a data source; scripts make their scratch space with mktemp and
	// TMPDIR, and the container image's own /tmp is named without a file under it.
	{regexp.MustCompile(`(?:^|[^A-Za-z0-9_.~$/-])/tmp/[A-Za-z0-9_./-]+`),
		"reads or writes a fixed file under /tmp"},
	{regexp.MustCompile(`(?i)` + "GROUND" + `[- ]TRUTH`),
		"cites research notes that are not in the repository; cite " + wireFacts},
	{regexp.MustCompile(`(?i)` + "wire" + `-errors`),
		"cites a note that is not in the repository; cite " + wireFacts + " §7"},
	{regexp.MustCompile(`(?i)` + "code" + `[- ]index`),
		"cites a search index id that means nothing to a reader; cite a URL or " + wireFacts},
}

// TestNoOutsideReferences fails on any tracked text file that names a machine path or cites a
// document outside the repository.
func TestNoOutsideReferences(t *testing.T) {
	root := moduleRoot(t)
	for _, name := range trackedFiles(t, root) {
		b := readText(t, root, name)
		for _, f := range forbidden {
			for _, loc := range f.re.FindAllIndex(b, -1) {
				t.Errorf("%s:%d: %s: %q", name, lineOf(b, loc[0]), f.reason, strings.TrimSpace(string(b[loc[0]:loc[1]])))
			}
		}
	}
}

// citation is "docs/wire-facts.md §2.3", possibly followed by more sections ("§2.5, §3.3",
// "§4 and §7", "§3.1–3.3"), possibly across a comment's line break.
var (
	citation = regexp.MustCompile(regexp.QuoteMeta(wireFacts) + `((?:(?:\s|//|#|,|;|and)*§\d+(?:\.\d+)*(?:–\d+(?:\.\d+)*)?)+)`)
	sections = regexp.MustCompile(`(\d+(?:\.\d+)*)`)
	heading  = regexp.MustCompile(`(?m)^#{2,4} (\d+(?:\.\d+)*)\.? `)
	selfRef  = regexp.MustCompile(`§(\d+(?:\.\d+)*)(?:–(\d+(?:\.\d+)*))?`)
	mdLink   = regexp.MustCompile(`\]\(([^)#:\s]+)(?:#[^)]*)?\)`)
	copyName = regexp.MustCompile("copy: `([^`]+)`")
)

// TestWireFactsCitations fails on a citation of a section that docs/wire-facts.md does not
// have, in any tracked file or in the page itself.
func TestWireFactsCitations(t *testing.T) {
	root := moduleRoot(t)
	have := map[string]bool{}
	page := readText(t, root, wireFacts)
	for _, m := range heading.FindAllSubmatch(page, -1) {
		have[string(m[1])] = true
	}
	if len(have) == 0 {
		t.Fatalf("%s has no numbered sections", wireFacts)
	}
	check := func(name string, b []byte, at int, sec string) {
		if !have[sec] {
			t.Errorf("%s:%d: cites %s §%s, which has no such section", name, lineOf(b, at), wireFacts, sec)
		}
	}
	for _, name := range trackedFiles(t, root) {
		b := readText(t, root, name)
		if name == wireFacts {
			for _, m := range selfRef.FindAllSubmatchIndex(b, -1) {
				for i := 2; i < len(m); i += 2 {
					if m[i] >= 0 {
						check(name, b, m[0], string(b[m[i]:m[i+1]]))
					}
				}
			}
			continue
		}
		for _, m := range citation.FindAllSubmatchIndex(b, -1) {
			for _, s := range sections.FindAll(b[m[2]:m[3]], -1) {
				check(name, b, m[0], string(s))
			}
		}
	}
}

// TestWireFactsLinks fails on a relative link of docs/wire-facts.md to a file that does not
// exist, and on a recording the page names as a copy that is not in the copy's folder.
func TestWireFactsLinks(t *testing.T) {
	root := moduleRoot(t)
	page := readText(t, root, wireFacts)
	dir := filepath.Dir(filepath.Join(root, wireFacts))
	for _, m := range mdLink.FindAllSubmatchIndex(page, -1) {
		target := string(page[m[2]:m[3]])
		if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(target))); err != nil {
			t.Errorf("%s:%d: link to %s: %v", wireFacts, lineOf(page, m[0]), target, err)
		}
	}
	copies := filepath.Join(root, "internal", "cassette", "testdata", "real-traffic")
	for _, m := range copyName.FindAllSubmatchIndex(page, -1) {
		name := string(page[m[2]:m[3]])
		if _, err := os.Stat(filepath.Join(copies, filepath.FromSlash(name))); err != nil {
			t.Errorf("%s:%d: the copy %s: %v", wireFacts, lineOf(page, m[0]), name, err)
		}
	}
}

// moduleRoot is the directory of the go.mod above the working directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// trackedFiles lists the files git tracks under root, slash-separated and relative to it; in
// a copy without git (an unpacked archive) it lists every file but those under .git and
// node_modules.
func trackedFiles(t *testing.T, root string) []string {
	t.Helper()
	cmd := exec.Command("git", "ls-files", "-z")
	cmd.Dir = root
	if out, err := cmd.Output(); err == nil {
		var names []string
		for _, n := range bytes.Split(out, []byte{0}) {
			if len(n) > 0 {
				names = append(names, string(n))
			}
		}
		return names
	}
	var names []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == ".git" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		names = append(names, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// readText returns the file's bytes, or nil for a binary file (a NUL byte near its start) or
// one listed by git but deleted from the working tree.
func readText(t *testing.T, root, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	if bytes.IndexByte(b[:min(len(b), 8000)], 0) >= 0 {
		return nil
	}
	return b
}

// lineOf is the 1-based line of byte offset i in b.
func lineOf(b []byte, i int) int { return bytes.Count(b[:i], []byte{'\n'}) + 1 }
