package main

import (
	"flag"
	"fmt"

	"github.com/bedrock-emulator/bedrock-emulator/emulator"
)

// runtimeFlags are serve's flags for guardrails and prompts:
//
//	--guardrails FILE   guardrail definitions (JSON or YAML), env BEDROCK_EMULATOR_GUARDRAILS
//	--prompts FILE      Prompt management prompts (JSON or YAML), env BEDROCK_EMULATOR_PROMPTS
//
// The admin API (/_emulator/guardrails, /_emulator/prompts) changes them at run time.
type runtimeFlags struct {
	guardrails, prompts *string
}

func addRuntimeFlags(fs *flag.FlagSet) *runtimeFlags {
	return &runtimeFlags{
		guardrails: fs.String("guardrails", env("guardrails", ""), "JSON or YAML file of guardrail definitions (env BEDROCK_EMULATOR_GUARDRAILS)"),
		prompts:    fs.String("prompts", env("prompts", ""), "JSON or YAML file of Prompt management prompts (env BEDROCK_EMULATOR_PROMPTS)"),
	}
}

// install loads the files the flags name into opts.
func (f *runtimeFlags) install(opts *[]func(*emulator.Options)) error {
	if *f.guardrails != "" {
		gs, err := emulator.LoadGuardrails(*f.guardrails)
		if err != nil {
			return fmt.Errorf("--guardrails: %w", err)
		}
		*opts = append(*opts, emulator.WithGuardrails(gs...))
	}
	if *f.prompts != "" {
		ps, err := emulator.LoadPrompts(*f.prompts)
		if err != nil {
			return fmt.Errorf("--prompts: %w", err)
		}
		*opts = append(*opts, emulator.WithPrompts(ps...))
	}
	return nil
}
