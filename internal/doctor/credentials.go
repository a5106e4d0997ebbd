package doctor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/config"
)

func (r *runner) checkCredentials(ctx context.Context) Check {
	c := Check{ID: "credentials"}
	cfg := r.in.Config
	switch cfg.Provider.Value {
	case config.ProviderNone:
		c.Status, c.Summary = StatusSkip, "no provider, so no credentials to check"
		return c
	case config.ProviderAnthropic:
		v, _ := cfg.Env("ANTHROPIC_API_KEY")
		c.Status, c.Summary = StatusOK, fmt.Sprintf("ANTHROPIC_API_KEY %s (%s)", config.Redact(v.Value), v.Source)
		return c
	}
	if r.in.AuthErr != nil {
		r.blocked = "no credentials (see credentials)"
		c.Status, c.Summary = StatusFail, "credentials cannot be set up"
		c.Detail = r.in.AuthErr.Error()
		c.Fix = hintOf(r.in.AuthErr)
		return c
	}
	auth := r.in.Auth
	if auth == nil {
		c.Status, c.Summary = StatusSkip, "credentials were not built"
		return c
	}
	switch auth.Mode() {
	case awsauth.ModeNone:
		if !cfg.BedrockBaseURL.Set {
			r.blocked = "requests are unsigned and go to Bedrock itself (see credentials)"
			c.Status, c.Summary = StatusFail, "CLAUDE_CODE_SKIP_BEDROCK_AUTH is on but no gateway is configured: Bedrock refuses unsigned requests"
			c.Detail = fmt.Sprintf("CLAUDE_CODE_SKIP_BEDROCK_AUTH (%s)", cfg.SkipBedrockAuth.Source)
			c.Fix = "set ANTHROPIC_BEDROCK_BASE_URL to the gateway that signs requests for you, or unset CLAUDE_CODE_SKIP_BEDROCK_AUTH to sign them with your AWS credentials"
			return c
		}
		c.Status = StatusOK
		c.Summary = fmt.Sprintf("none sent (CLAUDE_CODE_SKIP_BEDROCK_AUTH, %s): the gateway at %s must authenticate requests", cfg.SkipBedrockAuth.Source, cfg.BedrockBaseURL.Value)
		for _, h := range cfg.CustomHeaders.Value {
			if strings.EqualFold(h.Name, "Authorization") {
				c.Detail = "an Authorization header from ANTHROPIC_CUSTOM_HEADERS is sent to the gateway"
			}
		}
		return c
	case awsauth.ModeBearer:
		v, _ := cfg.Env("AWS_BEARER_TOKEN_BEDROCK")
		c.Status = StatusOK
		c.Summary = fmt.Sprintf("Bedrock API key %s (AWS_BEARER_TOKEN_BEDROCK, %s)", config.Redact(v.Value), v.Source)
		c.Detail = "short-term Bedrock API keys last at most 12 hours and work in one region only"
		if _, ok := cfg.Env("AWS_ACCESS_KEY_ID"); ok {
			c.Detail += "\nAWS access keys are also set; the API key takes precedence over them"
		}
		return c
	}

	cctx, cancel := context.WithTimeout(ctx, r.in.CredentialsTimeout)
	defer cancel()
	start := time.Now()
	creds, err := auth.Credentials(cctx)
	if err != nil {
		r.blocked = "no credentials (see credentials)"
		c.Status = StatusFail
		c.Summary = "no usable AWS credentials"
		if cctx.Err() == context.DeadlineExceeded && ctx.Err() == nil {
			c.Summary = fmt.Sprintf("resolving AWS credentials took longer than %s", r.in.CredentialsTimeout)
		}
		c.Detail = err.Error()
		c.Fix = hintOf(err)
		switch {
		case cfg.AWSAuthRefresh.Set:
			// The hint was written for a session, which runs the
			// refresh; doctor does not.
			c.Fix = r.renewFix()
		case c.Fix == "":
			c.Fix = "set AWS_PROFILE to a configured profile (for SSO run `aws sso login --profile NAME`), or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
		}
		return c
	}
	r.credSource = creds.Source
	c.Status = StatusOK
	c.Summary = r.describeSource(creds.Source)
	if id := creds.AccessKeyID; len(id) >= 4 {
		c.Summary = "access key …" + id[len(id)-4:] + " from " + c.Summary
	}
	var details []string
	details = append(details, fmt.Sprintf("resolved in %s", time.Since(start).Round(time.Millisecond)))
	now := r.in.Now()
	if creds.CanExpire {
		left := creds.Expires.Sub(now)
		switch {
		case left <= 0:
			c.Status = StatusFail
			c.Summary += fmt.Sprintf(", expired %s ago", roundDuration(-left))
			c.Fix = r.renewFix()
		case left < 10*time.Minute && !cfg.AWSAuthRefresh.Set:
			c.Status = StatusWarn
			c.Summary += fmt.Sprintf(", expire in %s", roundDuration(left))
			c.Fix = "renew them before a long session; set awsAuthRefresh so that basalt renews them itself when they expire"
		default:
			c.Summary += fmt.Sprintf(", expire in %s", roundDuration(left))
		}
		details = append(details, "expiry "+creds.Expires.UTC().Format(time.RFC3339))
	}
	if strings.HasPrefix(creds.AccessKeyID, "ASIA") && creds.SessionToken == "" {
		c.Status = StatusFail
		c.Detail = "the access key is temporary (ASIA…) but no session token came with it, so AWS refuses it as invalid"
		c.Fix = "export AWS_SESSION_TOKEN with the key, or take all three values from the same `aws configure export-credentials` output"
	}
	if p, ok := cfg.Env("AWS_PROFILE"); ok && p.Value != "" && creds.Source == "StaticCredentials" {
		if c.Status == StatusOK {
			c.Status = StatusWarn
			c.Fix = "unset AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to use the profile, or unset AWS_PROFILE"
		}
		details = append(details, fmt.Sprintf("AWS_PROFILE=%s (%s) is ignored: access keys in the environment take precedence", p.Value, p.Source))
	}
	c.Detail = strings.TrimSpace(c.Detail + "\n" + strings.Join(details, "\n"))
	return c
}

// describeSource names a credential source the way a user configured it.
func (r *runner) describeSource(source string) string {
	cfg := r.in.Config
	profile := fmt.Sprintf("AWS profile %s (%s)", cfg.Profile.Value, cfg.Profile.Source)
	switch {
	case source == "StaticCredentials":
		if v, ok := cfg.Env("AWS_ACCESS_KEY_ID"); ok {
			return v.Source.String()
		}
		return "static credentials"
	case source == "awsCredentialExport":
		return fmt.Sprintf("awsCredentialExport (%s)", cfg.AWSCredentialExport.Source)
	case strings.HasPrefix(source, "SharedConfigCredentials"):
		return "shared credentials file, " + profile
	case strings.Contains(source, "SSO"):
		return "IAM Identity Center (SSO), " + profile
	case strings.Contains(source, "Process"):
		return "credential_process, " + profile
	case strings.Contains(source, "AssumeRole"):
		return "assumed role, " + profile
	case strings.Contains(source, "WebIdentity"):
		return "web identity token"
	case strings.Contains(source, "EC2"):
		return "EC2 instance role"
	case strings.Contains(source, "Endpoint") || strings.Contains(source, "Container"):
		return "container credentials endpoint"
	}
	return source
}

// renewFix is what to do about refused or expired credentials, which
// depends on whether basalt could renew them itself.
func (r *runner) renewFix() string {
	cfg := r.in.Config
	if cfg.AWSAuthRefresh.Set {
		return fmt.Sprintf("renew them: run awsAuthRefresh's command (%s) yourself, as basalt does when a session meets expired credentials (doctor only observes and does not run it)", cfg.AWSAuthRefresh.Source)
	}
	return "renew your AWS credentials (for SSO: `aws sso login --profile NAME`); no awsAuthRefresh is configured, so basalt cannot renew them itself: set \"awsAuthRefresh\": \"aws sso login --profile NAME\" in your settings"
}

// checkCommands checks awsCredentialExport and awsAuthRefresh: that the
// command each runs exists where basalt will look for it.
func (r *runner) checkCommands(context.Context) Check {
	c := Check{ID: "credential-commands", Status: StatusOK}
	cfg := r.in.Config
	if !r.bedrock() {
		c.Status, c.Summary = StatusSkip, "not used: the provider is not Amazon Bedrock"
		return c
	}
	var lines, missing []string
	var unused []string
	mode := awsauth.ModeChain
	if r.in.Auth != nil {
		mode = r.in.Auth.Mode()
	}
	for _, s := range []struct {
		name string
		v    config.Value[string]
	}{{"awsCredentialExport", cfg.AWSCredentialExport}, {"awsAuthRefresh", cfg.AWSAuthRefresh}} {
		if !s.v.Set || strings.TrimSpace(s.v.Value) == "" {
			continue
		}
		if mode == awsauth.ModeBearer || mode == awsauth.ModeNone {
			unused = append(unused, fmt.Sprintf("%s (%s) is not used: %s", s.name, s.v.Source, map[awsauth.Mode]string{
				awsauth.ModeBearer: "AWS_BEARER_TOKEN_BEDROCK takes precedence", awsauth.ModeNone: "CLAUDE_CODE_SKIP_BEDROCK_AUTH is on"}[mode]))
			continue
		}
		word := firstWord(s.v.Value)
		path, err := r.findCommand(word)
		if err != nil {
			missing = append(missing, fmt.Sprintf("%s (%s) runs %q, which is not on PATH", s.name, s.v.Source, word))
			continue
		}
		lines = append(lines, fmt.Sprintf("%s (%s): %s → %s", s.name, s.v.Source, word, path))
	}
	switch {
	case len(missing) > 0:
		c.Status = StatusFail
		c.Summary = missing[0]
		c.Detail = strings.Join(append(missing[1:], lines...), "\n")
		c.Fix = "install the command, or write its absolute path in the setting; basalt runs it with /bin/sh and the PATH of its environment"
	case len(unused) > 0:
		c.Status = StatusWarn
		c.Summary = unused[0]
		c.Detail = strings.Join(append(unused[1:], lines...), "\n")
		c.Fix = "remove the setting, or the variable that overrides it"
	case len(lines) > 0:
		c.Summary = fmt.Sprintf("%d %s found", len(lines), plural(len(lines), "command", "commands"))
		c.Detail = strings.Join(lines, "\n")
	default:
		c.Status = StatusSkip
		c.Summary = "awsCredentialExport and awsAuthRefresh are not set"
	}
	if !cfg.AWSAuthRefresh.Set && strings.Contains(r.credSource, "SSO") {
		c.Status = StatusWarn
		c.Summary = "SSO credentials expire, and awsAuthRefresh is not set"
		c.Fix = fmt.Sprintf("add \"awsAuthRefresh\": \"aws sso login --profile %s\" to your settings, so that basalt renews them without losing the turn", cfg.Profile.Value)
	}
	return c
}

// shellBuiltins need no PATH lookup.
var shellBuiltins = map[string]bool{".": true, "source": true, "eval": true, "export": true, "cd": true, "set": true,
	"echo": true, "printf": true, "test": true, "[": true, "true": true, "false": true, ":": true}

// firstWord is the command a shell line runs, skipping leading variable
// assignments and unwrapping exec.
func firstWord(line string) string {
	fields := strings.Fields(line)
	for i := 0; i < len(fields); i++ {
		f := strings.Trim(fields[i], `"'`)
		if k, _, ok := strings.Cut(f, "="); ok && k != "" && !strings.ContainsAny(k, "/.") {
			continue // VAR=value cmd
		}
		if f == "exec" && i+1 < len(fields) {
			continue
		}
		return f
	}
	return ""
}

func (r *runner) findCommand(word string) (string, error) {
	if word == "" {
		return "", exec.ErrNotFound
	}
	if shellBuiltins[word] {
		return "(shell builtin)", nil
	}
	if rest, ok := strings.CutPrefix(word, "~/"); ok {
		word = filepath.Join(r.in.Config.Getenv("HOME"), rest)
	}
	return r.in.LookPath(word, r.in.Config.Getenv("PATH"))
}

// lookPath is exec.LookPath over a given PATH: basalt runs the commands
// with the configuration's environment, whose PATH a settings file may
// set.
func lookPath(file, path string) (string, error) {
	if strings.Contains(file, "/") {
		if executable(file) {
			return file, nil
		}
		return "", exec.ErrNotFound
	}
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			dir = "."
		}
		if p := filepath.Join(dir, file); executable(p) {
			return p, nil
		}
	}
	return "", exec.ErrNotFound
}

func executable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}

// hintOf returns the fix an error carries, if any.
func hintOf(err error) string {
	var h interface{ Hint() string }
	if errors.As(err, &h) {
		return h.Hint()
	}
	return ""
}

// roundDuration keeps durations readable: 43m, 2h5m, 12s.
func roundDuration(d time.Duration) string {
	if d >= time.Minute {
		return strings.TrimSuffix(d.Round(time.Minute).String(), "0s")
	}
	return d.Round(time.Second).String()
}
