package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/provider"
)

func testApp() (*App, *bytes.Buffer, *bytes.Buffer) {
	out, errOut := &bytes.Buffer{}, &bytes.Buffer{}
	return &App{
		IO:      &IOStreams{In: strings.NewReader(""), Out: out, ErrOut: errOut},
		Env:     map[string]string{},
		WorkDir: "/nonexistent",
	}, out, errOut
}

func TestExitCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want int
	}{
		{"nil", nil, ExitOK},
		{"usage", usageErrorf("", "bad"), ExitUsage},
		{"wrapped usage", fmt.Errorf("x: %w", usageErrorf("", "bad")), ExitUsage},
		{"config", &config.Error{Problems: []error{errors.New("p")}}, ExitUsage},
		{"cancelled", fmt.Errorf("turn: %w", context.Canceled), ExitInterrupted},
		{"no credentials", &awsauth.Error{Op: "resolve", Err: errors.New("none")}, ExitAuth},
		{"access denied", &provider.APIError{Kind: provider.KindAccessDenied}, ExitAuth},
		{"credentials refused", fmt.Errorf("turn: %w", &provider.APIError{Kind: provider.KindAuth}), ExitAuth},
		{"throttled", &provider.APIError{Kind: provider.KindThrottled}, ExitFailure},
		{"unknown model", &model.UnknownModelError{Value: "sonet"}, ExitUsage},
		{"untrusted folder", &UntrustedError{}, ExitUsage},
		{"trust question cancelled", errTrustCancelled, ExitInterrupted},
		{"other", errors.New("boom"), ExitFailure},
	}
	for _, tt := range tests {
		if got := exitCode(tt.err); got != tt.want {
			t.Errorf("%s: exitCode = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestRootFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want rootOptions
	}{
		{"interactive", nil, rootOptions{OutputFormat: "text"}},
		{"headless", []string{"-p", "fix", "the", "bug"}, rootOptions{Print: true, OutputFormat: "text", Prompt: "fix the bug"}},
		{"json with limits", []string{"--print", "--output-format", "json", "--max-turns", "3", "--max-budget-usd", "0.5", "hi"},
			rootOptions{Print: true, OutputFormat: "json", MaxTurns: 3, MaxBudgetUSD: 0.5, Prompt: "hi"}},
		{"resume", []string{"-r", "abc"}, rootOptions{OutputFormat: "text", Resume: "abc"}},
		{"continue", []string{"-c", "-p", "go on"}, rootOptions{Print: true, OutputFormat: "text", Continue: true, Prompt: "go on"}},
		{"fork a resumed session", []string{"-r", "abc", "--fork-session"}, rootOptions{OutputFormat: "text", Resume: "abc", ForkSession: true}},
		{"fork the last session", []string{"-c", "--fork-session", "-p", "x"}, rootOptions{Print: true, OutputFormat: "text", Continue: true, ForkSession: true, Prompt: "x"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			app, _, _ := testApp()
			var got *rootOptions
			cmd := newRootCmd(app, func(_ context.Context, _ *App, o *rootOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPrintError(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	printError(&buf, &config.Error{Problems: []error{errors.New("a.json:1:2: bad"), errors.New("B=x (env B): bad")}})
	want := "basalt: 2 configuration problems:\n  a.json:1:2: bad\n  B=x (env B): bad\nhint: fix the settings named above; `basalt config show` explains where every value comes from\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
}
