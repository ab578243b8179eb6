// TEMPORARY stub until the catalog branch lands. Not to be committed.
package catalog

import (
	"errors"
	"strings"
)

type Model struct {
	ID, Name, Provider string
}

type Catalog struct{}

type Resolution struct{ Model *Model }

var ErrInvalidModel = errors.New("invalid model")

type NeedsProfileError struct{ ModelID string }

func (e *NeedsProfileError) Error() string { return "needs profile " + e.ModelID }

func Default() *Catalog { return &Catalog{} }

func LoadFile(string) (*Catalog, error) { return &Catalog{}, nil }

func (c *Catalog) Resolve(id string) (Resolution, error) {
	if strings.HasPrefix(id, "not") || strings.HasPrefix(id, "no.") {
		return Resolution{}, ErrInvalidModel
	}
	return Resolution{Model: &Model{ID: id, Name: id, Provider: strings.Split(id, ".")[0]}}, nil
}
