package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// Outcome is how a case ended on a target.
type Outcome string

// The outcomes.
const (
	// Pass: every invariant held.
	Pass Outcome = "pass"
	// Fail: an invariant broke; Result.Why says which.
	Fail Outcome = "fail"
	// Skip: the target cannot run the case (no guardrail, no access to the model, …).
	Skip Outcome = "skip"
	// Pending: the case failed on the emulator for a reason its Case.Pending names.
	Pending Outcome = "pending"
)

// Result is what one case came to on one target.
type Result struct {
	// Case is the case's name.
	Case string `json:"case"`
	// Outcome is pass, fail, skip or pending.
	Outcome Outcome `json:"outcome"`
	// Why says, for any outcome but a plain pass, why: the first broken invariant (with
	// the step it broke at), the skip reason, or what a pending case waits for.
	Why string `json:"why,omitempty"`
	// Problems are all the invariants the failing step broke.
	Problems []string `json:"problems,omitempty"`
	// Answers are the answers of the steps that were sent.
	Answers []*Answer `json:"-"`
	// Duration is how long the case took.
	Duration time.Duration `json:"durationNs"`
}

// Run runs cases against target, Target.Parallel at a time, and returns their results in
// the order of cases. It returns early, with the remaining cases skipped, when ctx ends.
func Run(ctx context.Context, target *Target, cases []Case) []Result {
	results := make([]Result, len(cases))
	sem := make(chan struct{}, parallel(target))
	var wg sync.WaitGroup
	for i := range cases {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i] = RunCase(ctx, target, &cases[i])
		}()
	}
	wg.Wait()
	return results
}

// T is the part of *testing.T that Test uses; *testing.T is a T[*testing.T]. The package
// does not import testing, so that a program that links it (the bedrock-emulator command)
// does not link the test framework.
type T[Self any] interface {
	Helper()
	Run(name string, f func(t Self)) bool
	Parallel()
	Context() context.Context
	Error(args ...any)
	Skip(args ...any)
	Log(args ...any)
}

// Test runs cases against target as parallel subtests of t (a *testing.T), one per case,
// named after it, at most Target.Parallel at a time. A failing case fails its subtest with
// every broken invariant; a skipped or pending one is skipped, saying why.
func Test[TT T[TT]](t TT, target *Target, cases []Case) {
	t.Helper()
	sem := make(chan struct{}, parallel(target))
	for i := range cases {
		c := &cases[i]
		t.Run(c.Name, func(t TT) {
			t.Parallel()
			sem <- struct{}{}
			r := RunCase(t.Context(), target, c)
			<-sem
			switch r.Outcome {
			case Fail:
				for _, p := range r.Problems {
					t.Error(p)
				}
				if len(r.Problems) == 0 {
					t.Error(r.Why)
				}
			case Skip, Pending:
				t.Skip(string(r.Outcome) + ": " + r.Why)
			default:
				if r.Why != "" {
					t.Log(r.Why)
				}
			}
		})
	}
}

func parallel(t *Target) int {
	if t.Parallel <= 0 {
		return 4
	}
	return t.Parallel
}

// RunCase runs one case against target.
func RunCase(ctx context.Context, target *Target, c *Case) Result {
	start := time.Now()
	r := runSteps(ctx, target, c)
	r.Case = c.Name
	r.Duration = time.Since(start)
	if c.Pending != "" && !target.Real {
		switch r.Outcome {
		case Fail:
			r.Outcome = Pending
			r.Why = "waits for " + c.Pending + "; now: " + r.Why
		case Pass:
			r.Why = "passes: its Pending mark (" + c.Pending + ") can go"
		}
	}
	return r
}

func runSteps(ctx context.Context, target *Target, c *Case) Result {
	if err := c.Validate(); err != nil {
		return Result{Outcome: Fail, Why: err.Error()}
	}
	var r Result
	var prev *Answer
	for i := range c.Steps {
		s := &c.Steps[i]
		in, skip, err := buildInput(target, s, prev)
		switch {
		case skip != "":
			r.Outcome, r.Why = Skip, skip
			return r
		case err != nil:
			r.Outcome, r.Why = Fail, fmt.Sprintf("step %d: %v", i+1, err)
			return r
		}
		if err := ctx.Err(); err != nil {
			r.Outcome, r.Why = Skip, "not run: "+err.Error()
			return r
		}
		a := call(ctx, target, s, in)
		r.Answers = append(r.Answers, a)
		if errors.Is(a.Err, ErrNoMatch) {
			r.Outcome, r.Why = Skip, fmt.Sprintf("step %d (%s %s) is not in the cassette", i+1, a.Operation, a.ModelID)
			return r
		}
		if why := unavailable(target, s, a); why != "" {
			r.Outcome, r.Why = Skip, why
			return r
		}
		if problems := checkAnswer(target, s, a, r.Answers[:i]); len(problems) > 0 {
			r.Outcome, r.Problems = Fail, problems
			r.Why = fmt.Sprintf("step %d (%s %s): %s", i+1, a.Operation, a.ModelID, problems[0])
			return r
		}
		prev = a
	}
	r.Outcome = Pass
	return r
}

// buildInput makes the request of step s: the model resolved on the target, the
// conversation continued from prev, the guardrail filled in and maxTokens capped.
func buildInput(t *Target, s *Step, prev *Answer) (*bedrockruntime.ConverseInput, string, error) {
	id, skip := t.model(s.Request.Model)
	if skip != "" {
		return nil, skip, nil
	}
	in := s.Request.Input // a shallow copy; the fields changed below are replaced, not modified
	in.ModelId = aws.String(id)
	var msgs []types.Message
	if s.Continue {
		if prev.Err != nil {
			return nil, "", fmt.Errorf("cannot continue a conversation whose last call failed")
		}
		msgs = append(msgs, prev.Input.Messages...)
		msgs = append(msgs, prev.Message)
	}
	if s.Follow != nil {
		more, err := s.Follow(prev)
		if err != nil {
			return nil, "", err
		}
		msgs = append(msgs, more...)
	}
	in.Messages = append(msgs, in.Messages...)
	if g := in.GuardrailConfig; g != nil && aws.ToString(g.GuardrailIdentifier) == GuardrailPlaceholder {
		if t.Guardrail == "" {
			return nil, "the target has no guardrail (set Target.Guardrail, -guardrail ID:VERSION)", nil
		}
		gid, version, _ := strings.Cut(t.Guardrail, ":")
		g2 := *g
		g2.GuardrailIdentifier = aws.String(gid)
		if aws.ToString(g2.GuardrailVersion) == "" {
			g2.GuardrailVersion = aws.String(version)
		}
		in.GuardrailConfig = &g2
	}
	// A prompt brings its own inference configuration, and refuses one in the request.
	if t.MaxTokens > 0 && s.Expect.Error == nil && s.Expect.Raw == nil && !strings.Contains(id, ":prompt/") {
		ic := types.InferenceConfiguration{}
		if in.InferenceConfig != nil {
			ic = *in.InferenceConfig
		}
		if ic.MaxTokens == nil || int(*ic.MaxTokens) > t.MaxTokens {
			ic.MaxTokens = aws.Int32(int32(t.MaxTokens))
		}
		in.InferenceConfig = &ic
	}
	return &in, "", nil
}

// unavailable says why a real target could not run a step at all: the account has no
// access to the model, or it is not offered here or any more. On other targets, and when
// the step expects exactly that error, it returns "".
func unavailable(t *Target, s *Step, a *Answer) string {
	if !t.Real || a.Err == nil {
		return ""
	}
	code, msg := a.ErrorCode()
	if w := s.Expect.Error; w != nil && w.Type == code && w.Message == msg {
		return ""
	}
	switch {
	case code == "AccessDeniedException" && containsFold(msg, "model"), code == "ResourceNotFoundException",
		code == "ValidationException" && (msg == "The provided model identifier is invalid." || strings.Contains(msg, "on-demand throughput")):
		return fmt.Sprintf("%s is not available to this account here: %s: %s", a.ModelID, code, msg)
	}
	return ""
}

// containsFold reports whether s contains sub, ignoring case.
func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
