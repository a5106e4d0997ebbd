package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"time"
)

// measurement is one client process, as `session measure` saw it.
type measurement struct {
	Command  []string  `json:"command"`
	Start    time.Time `json:"start"` // just before fork: the zero of "time to first request"
	WallMS   float64   `json:"wall_ms"`
	ExitCode int       `json:"exit_code"`
	// MaxRSSKB is ru_maxrss from wait4, in KiB: the number GNU time -v
	// prints as "Maximum resident set size". It is the peak of the
	// largest single process among the client and the children it waited
	// for (the shells its Bash tool ran), not their sum.
	MaxRSSKB int64   `json:"max_rss_kb"`
	UserMS   float64 `json:"user_ms"`
	SysMS    float64 `json:"sys_ms"`
}

// runMeasure runs the command after "--" with the measure process's stdin,
// stdout and stderr, and writes a measurement to --out. It exits with the
// command's exit code, so run.sh can tell a failed session from a slow one.
//
// Doing this in Go instead of wrapping the client in /usr/bin/time gives
// a start timestamp taken right before the fork, on the same clock as the
// ledger, with nothing but one exec in between.
func runMeasure(ctx context.Context, args []string) (int, error) {
	fs := flag.NewFlagSet("measure", flag.ContinueOnError)
	out := fs.String("out", "", "file to write the measurement to (JSON)")
	timeout := fs.Duration("timeout", 10*time.Minute, "kill the command after this long")
	if err := fs.Parse(args); err != nil {
		return 2, err
	}
	cmdline := fs.Args()
	if *out == "" || len(cmdline) == 0 {
		return 2, errors.New("measure: usage: measure --out FILE -- COMMAND [ARG…]")
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, cmdline[0], cmdline[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr

	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return 1, fmt.Errorf("measure: %w", err)
	}
	st := cmd.ProcessState
	m := measurement{
		Command: cmdline, Start: start.UTC(), WallMS: ms(wall), ExitCode: st.ExitCode(),
		UserMS: ms(st.UserTime()), SysMS: ms(st.SystemTime()),
	}
	m.MaxRSSKB = maxRSSKB(st)
	if err := writeJSON(*out, m); err != nil {
		return 1, err
	}
	return m.ExitCode, nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}
