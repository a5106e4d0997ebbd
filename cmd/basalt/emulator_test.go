package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/basalt-dev/basalt/internal/emulator"
)

// cmdEmulator starts a Bedrock emulator inside the test process for the
// rest of the script, and points the script's environment at it:
//
//	emulator [--region R] [--scenario FILE] [--var N=V]... [--credentials FILE]
//	         [--faults SPEC] [--models A,B] [--allow-unsigned] [--guardrail G]... [--ledger FILE]
//
// It sets EMULATOR_URL and ANTHROPIC_BEDROCK_BASE_URL, and, unless the
// script set them, CLAUDE_CODE_USE_BEDROCK=1, AWS_REGION and fake AWS keys
// (AKIAEXAMPLE / secret), which the emulator accepts unverified without
// --credentials.
func cmdEmulator(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("emulator: cannot be negated")
	}
	fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
	region := fs.String("region", "us-east-1", "")
	scenario := fs.String("scenario", "", "")
	credentials := fs.String("credentials", "", "")
	faults := fs.String("faults", "", "")
	models := fs.String("models", "", "")
	ledger := fs.String("ledger", "", "")
	allowUnsigned := fs.Bool("allow-unsigned", false, "")
	tlsDir := fs.String("tls", "", "") // a gencerts directory: serve HTTPS with its server certificate
	mtls := fs.Bool("mtls", false, "") // with --tls: require its client CA's certificates
	var vars, guards multiFlag
	fs.Var(&vars, "var", "")
	fs.Var(&guards, "guardrail", "")
	if err := fs.Parse(args); err != nil {
		ts.Fatalf("emulator: %v", err)
	}
	opts := emulator.Options{Region: *region, AllowUnsigned: *allowUnsigned}
	var err error
	if *scenario != "" {
		vm := map[string]string{}
		for _, v := range vars {
			k, val, _ := strings.Cut(v, "=")
			vm[k] = val
		}
		opts.Scenario, err = emulator.LoadScenario(ts.MkAbs(*scenario), vm)
		ts.Check(err)
	}
	if *credentials != "" {
		opts.Credentials, err = emulator.LoadCredentials(ts.MkAbs(*credentials))
		ts.Check(err)
	}
	if *faults != "" {
		opts.Faults, err = emulator.ParseFaults(*faults)
		ts.Check(err)
	}
	if *models != "" {
		opts.Models = strings.Split(*models, ",")
	}
	for _, g := range guards {
		gr, err := emulator.ParseGuardrail(g)
		ts.Check(err)
		opts.Guardrails = append(opts.Guardrails, gr)
	}
	if *ledger != "" {
		f, err := os.Create(ts.MkAbs(*ledger))
		ts.Check(err)
		ts.Defer(func() { f.Close() })
		opts.Ledger = f
	}
	emu, err := startScriptEmulator(ts, opts, *tlsDir, *mtls)
	ts.Check(err)
	ts.Defer(func() {
		if err := emu.Stop(); err != nil {
			ts.Logf("emulator: %v", err)
		}
	})

	url := emu.URL
	ts.Setenv("EMULATOR_URL", url)
	ts.Setenv("ANTHROPIC_BEDROCK_BASE_URL", url)
	for k, v := range map[string]string{
		"CLAUDE_CODE_USE_BEDROCK": "1",
		"AWS_REGION":              *region,
		"AWS_ACCESS_KEY_ID":       "AKIAEXAMPLE",
		"AWS_SECRET_ACCESS_KEY":   "secret",
	} {
		if ts.Getenv(k) == "" {
			ts.Setenv(k, v)
		}
	}
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// cmdJSONLField prints one field of one line of a JSON-lines file (a
// ledger), so scripts can compare numbers between requests:
//
//	jsonl-field FILE LINE FIELD
func cmdJSONLField(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: jsonl-field FILE LINE FIELD")
	}
	n, err := strconv.Atoi(args[1])
	if err != nil || n < 1 {
		ts.Fatalf("jsonl-field: bad line %q", args[1])
	}
	lines := strings.Split(strings.TrimSpace(ts.ReadFile(args[0])), "\n")
	if n > len(lines) {
		ts.Fatalf("jsonl-field: %s has %d lines", args[0], len(lines))
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(lines[n-1]), &m); err != nil {
		ts.Fatalf("jsonl-field: line %d: %v", n, err)
	}
	v, ok := m[args[2]]
	if !ok {
		ts.Fatalf("jsonl-field: line %d has no %q", n, args[2])
	}
	b, _ := json.Marshal(v)
	fmt.Fprintln(ts.Stdout(), string(b))
}

// cmdTmuxWait polls a tmux pane until its text matches a regular
// expression, then leaves the pane's text as the command's stdout:
//
//	tmux-wait SOCKET REGEXP
//
// It fails after 15 seconds with the last capture, so a story driving the
// real binary in a real terminal never hangs.
func cmdTmuxWait(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: tmux-wait SOCKET REGEXP")
	}
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	deadline := time.Now().Add(15 * time.Second)
	var pane string
	for time.Now().Before(deadline) {
		out, err := exec.Command("tmux", "-S", ts.MkAbs(args[0]), "capture-pane", "-p").Output()
		pane = string(out)
		if err == nil && re.MatchString(pane) {
			fmt.Fprint(ts.Stdout(), pane)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	ts.Fatalf("tmux-wait: %q never appeared; the pane shows:\n%s", args[1], pane)
}
