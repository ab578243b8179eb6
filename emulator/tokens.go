package emulator

import (
	"crypto/sha256"
	"encoding/json"
	"sync"
	"unicode/utf8"
)

// Token counts are simulated, consistently: a text costs one token per four characters
// (Unicode code points), rounded up; every image, document, video or audio block costs
// mediaTokens; a tool input, tool result JSON or tool schema is counted as its JSON text. The
// output of a reply is counted the same way, so maxTokens truncation and usage agree.

// mediaTokens is what one image, document, video or audio block costs.
const mediaTokens = 256

// TextTokens is the simulated token count of s.
func TextTokens(s string) int {
	return (utf8.RuneCountInString(s) + 3) / 4
}

// truncateTokens cuts s to at most n tokens.
func truncateTokens(s string, n int) string {
	limit := n * 4
	i := 0
	for pos := range s {
		if i == limit {
			return s[:pos]
		}
		i++
	}
	return s
}

// inputTokens counts a request's input: system prompt, messages and tool definitions. The
// tokens before the last cachePoint (the cached prefix) are counted apart.
func inputTokens(req *ConverseRequest) (total, cachedPrefix int) {
	add := func(n int) { total += n }
	mark := func() { cachedPrefix = total }
	for _, b := range req.System {
		switch {
		case b.Text != nil:
			add(TextTokens(*b.Text))
		case b.GuardContent != nil && b.GuardContent.Text != nil:
			add(TextTokens(b.GuardContent.Text.Text))
		case b.CachePoint != nil:
			mark()
		}
	}
	if req.ToolConfig != nil {
		for _, t := range req.ToolConfig.Tools {
			switch {
			case t.ToolSpec != nil:
				add(TextTokens(t.ToolSpec.Name) + TextTokens(t.ToolSpec.Description) + len(t.ToolSpec.InputSchema.JSON)/4)
			case t.CachePoint != nil:
				mark()
			}
		}
	}
	for _, m := range req.Messages {
		for _, b := range m.Content {
			if b.CachePoint != nil {
				mark()
				continue
			}
			add(blockTokens(b))
		}
	}
	return total, cachedPrefix
}

func blockTokens(b ContentBlock) int {
	switch {
	case b.Text != nil:
		return TextTokens(*b.Text)
	case b.Image != nil, b.Document != nil, b.Video != nil, b.Audio != nil:
		return mediaTokens
	case b.ToolUse != nil:
		return TextTokens(b.ToolUse.Name) + TextTokens(string(b.ToolUse.Input))
	case b.ToolResult != nil:
		n := 0
		for _, c := range b.ToolResult.Content {
			switch {
			case c.Text != nil:
				n += TextTokens(*c.Text)
			case c.JSON != nil:
				n += TextTokens(string(c.JSON))
			default:
				n += mediaTokens
			}
		}
		return n
	case b.GuardContent != nil && b.GuardContent.Text != nil:
		return TextTokens(b.GuardContent.Text.Text)
	case b.ReasoningContent != nil && b.ReasoningContent.ReasoningText != nil:
		return TextTokens(b.ReasoningContent.ReasoningText.Text)
	}
	return 0
}

// EstimateUsage is the usage the emulator reports for a reply with content to req when the
// reply sets none, leaving out prompt caching (which depends on the requests seen before).
func EstimateUsage(req *ConverseRequest, content []Block) Usage {
	in, _ := inputTokens(req)
	return Usage{InputTokens: in, OutputTokens: outputTokens(content)}
}

// outputTokens counts a reply's content.
func outputTokens(blocks []Block) int {
	n := 0
	for _, b := range blocks {
		switch {
		case b.Text != nil:
			n += TextTokens(*b.Text)
		case b.ToolUse != nil:
			n += TextTokens(b.ToolUse.Name) + TextTokens(string(b.ToolUse.Input))
		case b.Reasoning != nil:
			n += TextTokens(b.Reasoning.Text) + len(b.Reasoning.Redacted)/4
		case b.Citations != nil:
			n += TextTokens(b.Citations.Text)
		}
	}
	return n
}

// promptCache remembers which cached prefixes were written, so that the first request with a
// given prefix reports a cache write and later ones a cache read, as Bedrock does.
type promptCache struct {
	mu   sync.Mutex
	seen map[[32]byte]struct{}
}

// maxCachedPrefixes bounds the prompt cache; it is cleared when full.
const maxCachedPrefixes = 4096

func (c *promptCache) usage(req *ConverseRequest, output int) Usage {
	in, prefix := inputTokens(req)
	u := Usage{InputTokens: in - prefix, OutputTokens: output}
	if !usesCachePoint(req) {
		u.InputTokens = in
		return u
	}
	u.Cache = true
	if prefix == 0 {
		return u
	}
	key := prefixKey(req)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.seen[key]; ok {
		u.CacheReadTokens = prefix
		return u
	}
	if c.seen == nil || len(c.seen) >= maxCachedPrefixes {
		c.seen = make(map[[32]byte]struct{})
	}
	c.seen[key] = struct{}{}
	u.CacheWriteTokens = prefix
	u.CacheTTL = lastCacheTTL(req)
	return u
}

func usesCachePoint(req *ConverseRequest) bool {
	return lastCachePoint(req) != nil
}

func lastCachePoint(req *ConverseRequest) *CachePointBlock {
	var last *CachePointBlock
	for _, b := range req.System {
		if b.CachePoint != nil {
			last = b.CachePoint
		}
	}
	if req.ToolConfig != nil {
		for _, t := range req.ToolConfig.Tools {
			if t.CachePoint != nil {
				last = t.CachePoint
			}
		}
	}
	for _, m := range req.Messages {
		for _, b := range m.Content {
			if b.CachePoint != nil {
				last = b.CachePoint
			}
		}
	}
	return last
}

func lastCacheTTL(req *ConverseRequest) string {
	if cp := lastCachePoint(req); cp != nil && cp.TTL != "" {
		return cp.TTL
	}
	return "5m"
}

// prefixKey identifies the cached prefix of a request: everything but the messages after
// the last cachePoint. It hashes the request with those messages' content dropped.
func prefixKey(req *ConverseRequest) [32]byte {
	cut := *req
	cut.InferenceConfig, cut.AdditionalModelRequestFields, cut.RequestMetadata = nil, nil, nil
	var kept []Message
	for i := len(req.Messages) - 1; i >= 0 && kept == nil; i-- {
		m := req.Messages[i]
		for j := len(m.Content) - 1; j >= 0; j-- {
			if m.Content[j].CachePoint != nil {
				kept = append(req.Messages[:i:i], Message{Role: m.Role, Content: m.Content[:j+1]})
				break
			}
		}
	}
	cut.Messages = kept
	b, _ := json.Marshal(cut)
	return sha256.Sum256(append([]byte(req.ModelID+"\x00"), b...))
}
