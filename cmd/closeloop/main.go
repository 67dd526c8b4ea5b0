// Command closeloop checks, draws, explains and tries closeloop rules
// documents and data files, for the people who own a policy and for the
// CI of a host written in any language.
//
//	go install github.com/closeloop/closeloop/cmd/closeloop@latest
//
//	closeloop check rules.json                 # strict validation and lint
//	closeloop diagram rules.json               # the lifecycle as Mermaid
//	closeloop diagram -format week rules.json  # the default calendar's week
//	closeloop explain rules.json ticket.json   # SLA, priority reasons and offers of one ticket
//	closeloop test scenarios/                  # run scenario files
//	closeloop whatif -current a.json -proposed b.json histories.ndjson
//	closeloop kpi records.ndjson               # the KPI report
//
// Each subcommand is a thin layer over the library's packages ([feedback],
// [sla], [priority], [compensation], [scenario], [whatif], [metrics]) and
// prints its own usage with -help. -json writes machine-readable output instead
// of text; -lang zh writes the library's messages (errors, reasons, statuses,
// effects) in Chinese. Long runs report progress on standard error when it is a
// terminal (-progress forces it on or off).
//
// # Exit codes
//
//	0  success: the document is valid (check), every scenario passed (test)
//	1  findings: check found errors (or, with -strict, warnings); test had
//	   failures or scenarios that could not run
//	2  usage or input error: a bad flag or argument, a file that cannot be
//	   read or decoded (for every subcommand but check, whose job is to
//	   report what is wrong with its document)
//
// # Time
//
// The library reads no clock, and neither does the command except here:
// -now defaults to the wall clock, read once in main. Pass -now for
// reproducible output.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"
	_ "time/tzdata" // calendars' zones on hosts without a zone database

	"golang.org/x/text/language"

	"github.com/closeloop/closeloop/l10n"
)

// Exit codes.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
)

func main() {
	// The only wall-clock read: the default of -now.
	now := time.Now()
	os.Exit(run(os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, now: now, tty: isTerminal(os.Stderr)}))
}

// env is what a run sees of the world: its streams, the default instant
// and whether standard error is a terminal (for progress).
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	now            time.Time
	tty            bool
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// command is one subcommand.
type command struct {
	name, args, summary string
	run                 func(args []string, e env) int
}

var commands []command

func init() {
	// Filled in init: the help command lists the table it belongs to.
	commands = []command{
		{"check", "RULES...", "validate rules documents strictly and lint them", runCheck},
		{"diagram", "RULES", "draw the lifecycle (Mermaid, DOT) or a calendar's week (text)", runDiagram},
		{"explain", "RULES TICKET", "explain one ticket: SLA report, priority reasons, compensation offers", runExplain},
		{"test", "DIR|FILE...", "run scenario files and report every mismatch", runTest},
		{"whatif", "-current A -proposed B HISTORIES.ndjson", "replay ticket histories under two rules documents", runWhatif},
		{"kpi", "RECORDS", "the KPI report from NDJSON or CSV records", runKPI},
		{"version", "", "print the command's module version", runVersion},
	}
}

func run(args []string, e env) int {
	if len(args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && name == "help" {
			for _, c := range commands {
				if c.name == args[1] {
					return c.run([]string{"-help"}, e)
				}
			}
			fmt.Fprintf(e.stderr, "closeloop: unknown command %q\n", args[1])
			return exitUsage
		}
		usage(e.stdout)
		return exitOK
	}
	for _, c := range commands {
		if c.name == name {
			return c.run(args[1:], e)
		}
	}
	fmt.Fprintf(e.stderr, "closeloop: unknown command %q\n\n", name)
	usage(e.stderr)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "closeloop checks, draws, explains and tries closeloop rules documents.\n\nUsage:\n\n")
	for _, c := range commands {
		fmt.Fprintln(w, strings.TrimRight(fmt.Sprintf("  closeloop %-8s %s", c.name, c.args), " "))
		fmt.Fprintf(w, "      %s\n", c.summary)
	}
	fmt.Fprintf(w, "\nEvery command takes -help. Exit codes: 0 ok, 1 findings (check) or failures (test), 2 usage or input error.\n")
}

func runVersion(args []string, e env) int {
	fs, code := parse("version", "", "Print the module version the command was built from.", args, e, nil)
	if fs == nil {
		return code
	}
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	fmt.Fprintln(e.stdout, "closeloop", v)
	return exitOK
}

// parse parses a subcommand's flags. define adds the flags; the usage text
// is written to standard output for -help (exit 0) and a flag error to
// standard error (exit 2). It returns nil and the exit code when the run
// should stop.
func parse(name, argsUsage, about string, args []string, e env, define func(*flag.FlagSet)) (*flag.FlagSet, int) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if define != nil {
		define(fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(e.stdout)
			fmt.Fprintf(e.stdout, "Usage: closeloop %s %s\n\n%s\n", name, argsUsage, about)
			if hasFlags(fs) {
				fmt.Fprintf(e.stdout, "\nFlags:\n")
				fs.PrintDefaults()
			}
			return nil, exitOK
		}
		return nil, usageError(e, name, "%v", err)
	}
	return fs, exitOK
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// usageError reports a usage problem and returns exitUsage.
func usageError(e env, name, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "closeloop %s: %s\nRun 'closeloop %s -help' for usage.\n", name, fmt.Sprintf(format, args...), name)
	return exitUsage
}

// inputError reports a file or data problem (in the chosen language when it
// is one of the library's errors) and returns exitUsage.
func inputError(e env, p *l10n.Printer, name string, err error) int {
	fmt.Fprintf(e.stderr, "closeloop %s: %s\n", name, p.Error(err))
	return exitUsage
}

// timeFlag is a -now style flag: RFC 3339, or "YYYY-MM-DD[ HH:MM[:SS]]" in
// UTC. Its String is empty, so that -help shows no default: the default is
// the wall clock of the run, which each flag's text names.
type timeFlag struct{ t *time.Time }

func (f timeFlag) String() string { return "" }

func (f timeFlag) Set(s string) error {
	t, err := parseTime(s, time.UTC)
	if err != nil {
		return err
	}
	*f.t = t
	return nil
}

// parseTime reads an instant: RFC 3339 with an offset, or a date or date
// and time in loc.
func parseTime(s string, loc *time.Location) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not an instant (RFC 3339, or YYYY-MM-DD[ HH:MM[:SS]])", s)
}

// langFlag selects the language of the library's messages.
type langFlag struct{ p **l10n.Printer }

func (f langFlag) String() string {
	if f.p == nil || *f.p == nil {
		return "en"
	}
	return (*f.p).Language().String()
}

func (f langFlag) Set(s string) error {
	tag, err := language.Parse(s)
	if err != nil {
		return fmt.Errorf("%q is not a language tag (en, zh, zh-Hans, …)", s)
	}
	*f.p = l10n.New(tag)
	return nil
}

// addLang defines -lang on fs and returns where the printer lands.
func addLang(fs *flag.FlagSet) **l10n.Printer {
	p := l10n.New(l10n.English)
	fs.Var(langFlag{&p}, "lang", "language of the library's messages: en or zh (zh-Hans; any Chinese tag); others fall back to en")
	return &p
}

// readFile reads a file, or standard input for "-".
func readFile(e env, path string) ([]byte, error) {
	if path == "-" {
		return io.ReadAll(e.stdin)
	}
	return os.ReadFile(path)
}

// progress writes progress lines to standard error when enabled.
type progress struct {
	w     io.Writer
	on    bool
	every int64
}

// tick reports n items done, every p.every items.
func (p *progress) tick(n int64, what string) {
	if p.on && p.every > 0 && n%p.every == 0 {
		fmt.Fprintf(p.w, "\r%s %d", what, n)
	}
}

// done ends the progress line.
func (p *progress) done(n int64, what string) {
	if p.on {
		fmt.Fprintf(p.w, "\r%s %d, done\n", what, n)
	}
}

// progressFlag is -progress: "auto" (on when standard error is a
// terminal), true or false.
type progressFlag struct{ v *string }

func (f progressFlag) String() string {
	if f.v == nil {
		return "auto"
	}
	return *f.v
}

func (f progressFlag) Set(s string) error {
	switch strings.ToLower(s) {
	case "auto", "true", "false", "1", "0":
		*f.v = strings.ToLower(s)
		return nil
	}
	return fmt.Errorf("%q: want auto, true or false", s)
}

func (f progressFlag) IsBoolFlag() bool { return true }

func addProgress(fs *flag.FlagSet) *string {
	v := "auto"
	fs.Var(progressFlag{&v}, "progress", "report progress on standard error: auto (when it is a terminal), true or false")
	return &v
}

func newProgress(e env, mode string, every int64) *progress {
	on := e.tty
	switch mode {
	case "true", "1":
		on = true
	case "false", "0":
		on = false
	}
	return &progress{w: e.stderr, on: on, every: every}
}
