// Package yamlalias bounds what YAML aliases can make of a small document.
//
// gopkg.in/yaml.v3 keeps aliases as AliasNode when it parses into a yaml.Node, and
// refuses loops and excessive aliasing only when it decodes into Go values. Code that walks
// a yaml.Node tree itself (to check it, or to turn it into JSON) follows aliases with no
// such limit: an alias loop ("&a {x: *a}") never ends, and a "billion laughs" document (ten
// levels of ten aliases each, under a kilobyte) expands to 10^10 nodes. Check refuses both
// before any such walk, with the same limits yaml.v3 applies to its own decoding.
package yamlalias

import (
	"errors"
	"fmt"

	"gopkg.in/yaml.v3"
)

// ErrLoop is wrapped by the Error of an alias that refers to a node containing it.
var ErrLoop = errors.New("alias loop")

// ErrExcessive is wrapped by the Error of a document whose aliases expand it too much.
var ErrExcessive = errors.New("excessive aliasing")

// MaxAliasedBytes caps the text (scalar values and keys) that aliases may add to a document
// once expanded: as much as the largest script the admin API takes, so that aliases cannot
// make a document larger than one written out in full could be.
const MaxAliasedBytes = 4 << 20

// Error is a document Check refuses: where the alias is and what is wrong.
type Error struct {
	// Line and Column are 1-based: the alias at which the limit was reached.
	Line, Column int
	// Anchor is the alias's anchor name.
	Anchor string
	// Msg says what is wrong.
	Msg string
	// Err is ErrLoop or ErrExcessive.
	Err error
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// Unwrap returns ErrLoop or ErrExcessive.
func (e *Error) Unwrap() error { return e.Err }

// Check walks n as a reader that follows aliases would, and returns an *Error if an alias
// refers to a node that contains it, or if the aliases expand the document beyond what
// yaml.v3 allows for its own decoding (gopkg.in/yaml.v3 decode.go, allowedAliasRatio: up
// to 99% of a small document's nodes may come from aliases, falling to 10% from 4,000,000
// nodes on, so about 400,000 alias-made nodes at most) or add more than MaxAliasedBytes of
// text. It stops at the first problem, so its own work is bounded by those limits.
func Check(n *yaml.Node) error {
	c := checker{open: map[*yaml.Node]bool{}}
	return c.walk(n, nil)
}

type checker struct {
	// nodes counts the nodes visited; aliased, those reached through an alias, and
	// aliasedBytes their text.
	nodes, aliased, aliasedBytes int
	// open holds the nodes being walked: an alias to one of them is a loop.
	open map[*yaml.Node]bool
}

// walk visits n; via is the outermost alias n was reached through, nil if none.
func (c *checker) walk(n *yaml.Node, via *yaml.Node) error {
	c.nodes++
	if via != nil {
		c.aliased++
		c.aliasedBytes += len(n.Value)
		if c.aliased > 100 && c.nodes > 1000 && float64(c.aliased)/float64(c.nodes) > allowedAliasRatio(c.nodes) ||
			c.aliasedBytes > MaxAliasedBytes {
			return &Error{Line: via.Line, Column: via.Column, Anchor: via.Value, Err: ErrExcessive,
				Msg: fmt.Sprintf("the aliases from *%s on expand the document too much (a \"billion laughs\"?); refused, as yaml.v3 refuses excessive aliasing", via.Value)}
		}
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil
		}
		if c.open[n.Alias] {
			return &Error{Line: n.Line, Column: n.Column, Anchor: n.Value, Err: ErrLoop,
				Msg: fmt.Sprintf("alias *%s refers to a node that contains it (an alias loop)", n.Value)}
		}
		if via == nil {
			via = n
		}
		return c.walk(n.Alias, via)
	case yaml.DocumentNode, yaml.MappingNode, yaml.SequenceNode:
		c.open[n] = true
		defer delete(c.open, n)
		for _, child := range n.Content {
			if err := c.walk(child, via); err != nil {
				return err
			}
		}
	}
	return nil
}

// The limits of gopkg.in/yaml.v3 v3.0.1 decode.go, copied.
const (
	aliasRatioRangeLow  = 400000
	aliasRatioRangeHigh = 4000000
	aliasRatioRange     = float64(aliasRatioRangeHigh - aliasRatioRangeLow)
)

// allowedAliasRatio is yaml.v3's: the share of nodes that may come from aliases in a
// document of decodeCount nodes.
func allowedAliasRatio(decodeCount int) float64 {
	switch {
	case decodeCount <= aliasRatioRangeLow:
		return 0.99
	case decodeCount >= aliasRatioRangeHigh:
		return 0.10
	default:
		return 0.99 - 0.89*(float64(decodeCount-aliasRatioRangeLow)/aliasRatioRange)
	}
}
