package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// row is one line of the table: what the emulator measured, what the reference (a bare
// net/http handler, moto, or nothing) measured, their ratio, and the target.
type row struct {
	name      string
	emulator  string
	reference string
	ratio     string
	target    string
	// met is "yes", "no" or "" (no target, or not measured).
	met  string
	note string
}

// skipped is a row that could not be measured, with the reason.
func skipped(name, target, why string) row {
	return row{name: name, emulator: "—", reference: "—", ratio: "—", target: target, met: "skipped", note: why}
}

// verdict is "yes" when ok holds, else "no".
func verdict(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}

// writeTable writes rows as a Markdown table, then their notes, numbered.
func writeTable(w io.Writer, rows []row) {
	fmt.Fprintln(w, "| Measurement | bedrock-emulator | Reference | Ratio | Target | Met |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---|---|")
	var notes []string
	for _, r := range rows {
		name := r.name
		if r.note != "" {
			notes = append(notes, r.note)
			name += fmt.Sprintf(" [%d]", len(notes))
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", name, r.emulator, r.reference, r.ratio, r.target, r.met)
	}
	if len(notes) > 0 {
		fmt.Fprintln(w)
		for i, n := range notes {
			fmt.Fprintf(w, "%d. %s\n", i+1, n)
		}
	}
}

// machine describes where the run happened: CPU, cores, OS, Go.
func machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	kernel := ""
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		kernel = " " + strings.TrimSpace(string(b))
	}
	load := ""
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) > 0 {
			load = ", load average " + f[0] + " at the start"
		}
	}
	return fmt.Sprintf("%s, %d CPUs (GOMAXPROCS %d), %s/%s%s, %s, %s%s", cpu, runtime.NumCPU(),
		runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH, kernel, runtime.Version(), time.Now().UTC().Format(time.DateOnly), load)
}

// Formatting of measured values.

func rate(perSecond float64) string { return fmt.Sprintf("%.0f/s", perSecond) }

func ratio(x float64) string { return fmt.Sprintf("%.2f×", x) }

func dur(d time.Duration) string {
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.2f s", d.Seconds())
	case d >= time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond))
	default:
		return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond))
	}
}

func mib(bytes int64) string { return fmt.Sprintf("%.1f MiB", float64(bytes)/(1<<20)) }

// count renders n with thousands separated: "10,000".
func count(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
