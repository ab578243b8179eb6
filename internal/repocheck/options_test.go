package repocheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestOptionsIdiom holds every package to one options idiom (STYLE.md): each struct type
// named Options or ending in Options has, in its package, a With* function per exported
// field, returning a func(*T) that sets (or appends to) that field.
func TestOptionsIdiom(t *testing.T) {
	root := moduleRoot(t)
	pkgs := map[string][]*ast.File{} // by directory
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && path != root && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules"):
			return filepath.SkipDir
		case d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go"):
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		pkgs[filepath.Dir(path)] = append(pkgs[filepath.Dir(path)], f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for dir, files := range pkgs {
		rel, _ := filepath.Rel(root, dir)
		for typ, fields := range optionTypes(files) {
			checked++
			set := setters(files, typ)
			for _, field := range fields {
				if !slices.Contains(set, field) {
					t.Errorf("%s: %s.%s has no With* function that sets it", rel, typ, field)
				}
			}
		}
	}
	if checked < 6 {
		t.Errorf("checked %d options types, want at least the 6 of emulator, recorder, fixtures and internal/cassette", checked)
	}
}

// optionTypes returns the exported fields of the struct types named *Options in files.
func optionTypes(files []*ast.File) map[string][]string {
	out := map[string][]string{}
	for _, f := range files {
		for _, decl := range f.Decls {
			gd, ok := decl.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, spec := range gd.Specs {
				ts := spec.(*ast.TypeSpec)
				st, ok := ts.Type.(*ast.StructType)
				if !ok || !strings.HasSuffix(ts.Name.Name, "Options") || !ts.Name.IsExported() {
					continue
				}
				var fields []string
				for _, fl := range st.Fields.List {
					for _, n := range fl.Names {
						if n.IsExported() {
							fields = append(fields, n.Name)
						}
					}
				}
				out[ts.Name.Name] = fields
			}
		}
	}
	return out
}

// setters returns the fields of typ that the package's With* functions returning
// func(*typ) assign to.
func setters(files []*ast.File, typ string) []string {
	var out []string
	for _, f := range files {
		for _, decl := range f.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Recv != nil || !strings.HasPrefix(fd.Name.Name, "With") || !returnsMutator(fd, typ) {
				continue
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				if as, ok := n.(*ast.AssignStmt); ok {
					for _, lhs := range as.Lhs {
						if sel, ok := lhs.(*ast.SelectorExpr); ok {
							out = append(out, sel.Sel.Name)
						}
						if ix, ok := lhs.(*ast.IndexExpr); ok { // o.Admin[path] = h
							if sel, ok := ix.X.(*ast.SelectorExpr); ok {
								out = append(out, sel.Sel.Name)
							}
						}
					}
				}
				return true
			})
		}
	}
	return out
}

// returnsMutator reports whether fd returns one func(*typ).
func returnsMutator(fd *ast.FuncDecl, typ string) bool {
	res := fd.Type.Results
	if res == nil || len(res.List) != 1 {
		return false
	}
	ft, ok := res.List[0].Type.(*ast.FuncType)
	if !ok || ft.Params == nil || len(ft.Params.List) != 1 {
		return false
	}
	star, ok := ft.Params.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	id, ok := star.X.(*ast.Ident)
	return ok && id.Name == typ
}

// TestBinaryLinks: the bedrock-emulator command links neither the test framework nor go-cmp
// (made for tests), nor the tests' kit, nor chromedp (the browser tests').
func TestBinaryLinks(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "./cmd/bedrock-emulator")
	cmd.Dir = moduleRoot(t)
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if pkg == "testing" || strings.HasPrefix(pkg, "github.com/google/go-cmp/") || strings.HasSuffix(pkg, "/internal/testkit") ||
			strings.HasPrefix(pkg, "github.com/chromedp/") {
			t.Errorf("the command links %s", pkg)
		}
	}
}
