// Package repocheck holds tests of the repository itself rather than of its code: every file
// must stand on its own on a fresh clone, so none may name a path of a developer's machine or
// cite a document that is not in the repository or at a public URL, and every citation of
// docs/wire-facts.md must name a section the page has.
package repocheck
