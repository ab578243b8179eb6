// Command bedrock-emulator serves the Bedrock Runtime emulator, checks its health, records
// real Bedrock traffic to cassettes, imports and shows cassettes, and runs the conformance
// suite. It parses flags and calls the library packages (emulator, fixtures, recorder,
// conformance, client), which do the work.
//
//	bedrock-emulator help              the commands
//	bedrock-emulator help serve        one command's flags and examples (or: serve -h)
//
// Every flag of every command may also be set by an environment variable, as envRule says
// (every help prints it): fromEnv is the one place that reads those variables. (serve
// also looks for GOGC and GOMEMLIMIT, the Go runtime's own: heapFloor.)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// version is stamped at build time with -ldflags "-X main.version=…".
var version = "dev"

// envRule is how environment variables set flags; fromEnv applies it.
const envRule = `Every flag may be set by an environment variable instead: BEDROCK_EMULATOR_ and the
flag's name in capitals with _ for - (--log-level: BEDROCK_EMULATOR_LOG_LEVEL). A repeatable
flag's variable holds a list separated by ":" (";" on Windows), but --upstream-model's by ","
(model names hold ":"). A flag on the command line wins over its variable.
`

// command is a subcommand: its help and its flags.
type command struct {
	name    string // "serve", or "cassette import" for a subcommand of a group
	summary string // one line, for the command list
	help    string // the usage line, a description and examples, for -h
	args    bool   // whether it takes arguments after its flags
	// flags defines the command's flags on fs and returns what runs it with their values.
	flags func(fs *flag.FlagSet) runFunc
}

// runFunc runs a command until ctx (SIGINT, SIGTERM) ends, with the arguments after its flags.
type runFunc func(ctx context.Context, args []string, stdout, stderr io.Writer) error

var commands = []*command{serveCmd, healthCmd, recordCmd, importCmd, showCmd, conformanceCmd, versionCmd}

var versionCmd = &command{name: "version", summary: "print the version", help: "usage: bedrock-emulator version\n",
	flags: func(*flag.FlagSet) runFunc {
		return func(_ context.Context, _ []string, stdout, _ io.Writer) error {
			_, err := fmt.Fprintln(stdout, version)
			return err
		}
	}}

// errUnhealthy is the health command's failure; it exits 1, every other error 2.
var errUnhealthy = errors.New("unhealthy")

func main() {
	err := run(os.Args[1:], os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bedrock-emulator:", err)
		if errors.Is(err, errUnhealthy) {
			os.Exit(1)
		}
		os.Exit(2)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	switch {
	case len(args) == 0:
		return errors.New("no command given (see bedrock-emulator help)")
	case isHelp(args[0]):
		return help(args[1:], stdout)
	case len(args) == 2 && isHelp(args[1]) && isGroup(args[0]):
		return help(args[:1], stdout)
	}
	c, rest, err := find(args)
	if err != nil {
		return err
	}
	fs, runner := c.flagSet()
	if err := fs.Parse(rest); errors.Is(err, flag.ErrHelp) {
		return c.printHelp(stdout, fs)
	} else if err != nil {
		return fmt.Errorf("%s: %v (see bedrock-emulator %s -h)", c.name, err, c.name)
	}
	if err := fromEnv(fs); err != nil {
		return err
	}
	if !c.args && fs.NArg() > 0 {
		return fmt.Errorf("%s: unexpected argument %q", c.name, fs.Arg(0))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return runner(ctx, fs.Args(), stdout, stderr)
}

// find returns the command args start with and the arguments after its name.
func find(args []string) (*command, []string, error) {
	for _, c := range commands {
		if words := strings.Fields(c.name); len(args) >= len(words) && slices.Equal(args[:len(words)], words) {
			return c, args[len(words):], nil
		}
	}
	switch {
	case isGroup(args[0]) && len(args) == 1:
		return nil, nil, fmt.Errorf("%s: no subcommand given (see bedrock-emulator help %[1]s)", args[0])
	case isGroup(args[0]):
		return nil, nil, fmt.Errorf("%s: unknown subcommand %q (see bedrock-emulator help %[1]s)", args[0], args[1])
	}
	return nil, nil, fmt.Errorf("unknown command %q (see bedrock-emulator help)", args[0])
}

func isHelp(arg string) bool { return slices.Contains([]string{"help", "-h", "-help", "--help"}, arg) }

// isGroup says whether name is a group of commands ("cassette").
func isGroup(name string) bool {
	return slices.ContainsFunc(commands, func(c *command) bool { return strings.HasPrefix(c.name, name+" ") })
}

// help prints the help of the command args names, or the list of commands (of a group).
func help(args []string, stdout io.Writer) error {
	if len(args) == 0 || len(args) == 1 && isGroup(args[0]) {
		group := "" // or "cassette "
		if len(args) == 1 {
			group = args[0] + " "
		}
		fmt.Fprintf(stdout, "usage: bedrock-emulator %s<command> [flags] [args]\n\ncommands:\n", group)
		for _, c := range commands {
			if strings.HasPrefix(c.name, group) {
				fmt.Fprintf(stdout, "  %-16s %s\n", c.name, c.summary)
			}
		}
		_, err := fmt.Fprintf(stdout, "\n'bedrock-emulator help <command>' or '<command> -h' prints a command's flags and examples.\n%s", envRule)
		return err
	}
	c, rest, err := find(args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("help: unknown command %q (see bedrock-emulator help)", strings.Join(args, " "))
	}
	fs, _ := c.flagSet()
	return c.printHelp(stdout, fs)
}

// printHelp prints c's help and the flags defined on fs.
func (c *command) printHelp(w io.Writer, fs *flag.FlagSet) error {
	fmt.Fprint(w, c.help)
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprint(w, "\nflags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
		fmt.Fprint(w, "\n"+envRule)
	}
	return nil
}

// flagSet returns c's flags, which report nothing (run does), and what runs c with them.
func (c *command) flagSet() (*flag.FlagSet, runFunc) {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs, c.flags(fs)
}

// fromEnv sets every flag of fs not given on the command line from its environment
// variable, if that is set, as envRule says. Its error quotes the value: only a flag whose
// value is parsed (a number, a duration, a boolean) can fail, and none of those is a secret.
func fromEnv(fs *flag.FlagSet) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		name := "BEDROCK_EMULATOR_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		v, ok := os.LookupEnv(name)
		if !ok || given[f.Name] || err != nil {
			return
		}
		values := []string{v}
		switch f.Value.(type) {
		case *list:
			values = slices.DeleteFunc(filepath.SplitList(v), func(s string) bool { return s == "" })
		case *commaList:
			values = slices.DeleteFunc(strings.Split(v, ","), func(s string) bool { return s == "" })
		}
		for _, v := range values {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s=%q: %v", name, v, e)
			}
		}
	})
	return err
}

// list is a repeatable flag's values.
type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(s string) error { *l = append(*l, s); return nil }

// commaList is a repeatable flag whose values may hold ':' (model IDs and tags, such as
// 'anthropic.claude-*=llama3.2:1b'): its environment variable is a comma-separated list.
type commaList struct{ list }

// logFlags defines the log flags, --log-level and --log-format, on fs, and returns what
// makes the logger they ask for, writing to w.
func logFlags(fs *flag.FlagSet) func(w io.Writer) (*slog.Logger, error) {
	level := fs.String("log-level", "info", "debug, info, warn or error; debug adds each request's headers and bodies, credentials redacted")
	format := fs.String("log-format", "text", "text (slog's key=value lines) or json (one JSON object a line)")
	return func(w io.Writer) (*slog.Logger, error) {
		var l slog.Level
		if err := l.UnmarshalText([]byte(*level)); err != nil {
			return nil, fmt.Errorf("--log-level: %q is not one of debug, info, warn, error", *level)
		}
		opts := &slog.HandlerOptions{Level: l}
		switch *format {
		case "text":
			return slog.New(slog.NewTextHandler(w, opts)), nil
		case "json":
			return slog.New(slog.NewJSONHandler(w, opts)), nil
		}
		return nil, fmt.Errorf("--log-format: %q is not one of text, json", *format)
	}
}

// prefix puts p before err's text, if err is not nil.
func prefix(p string, err error) error {
	if err != nil {
		return fmt.Errorf("%s%w", p, err)
	}
	return nil
}
