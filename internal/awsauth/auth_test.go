package awsauth

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// sandbox is a HOME with no AWS files, and no instance metadata: no test
// may reach beyond loopback.
func sandbox(t *testing.T) map[string]string {
	t.Helper()
	home := t.TempDir()
	return map[string]string{
		"HOME":                        home,
		"PATH":                        os.Getenv("PATH"),
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_CONFIG_FILE":             filepath.Join(home, ".aws", "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(home, ".aws", "credentials"),
	}
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o755); err != nil {
		t.Fatal(err)
	}
}

func TestModes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts func(env map[string]string) Options
		want Mode
	}{
		{"chain", func(env map[string]string) Options { return Options{Env: env} }, ModeChain},
		{"export", func(env map[string]string) Options { return Options{Env: env, ExportCommand: "x"} }, ModeExport},
		{"bearer beats export", func(env map[string]string) Options {
			env["AWS_BEARER_TOKEN_BEDROCK"] = "ABSK-token"
			return Options{Env: env, ExportCommand: "x"}
		}, ModeBearer},
		{"skip beats all", func(env map[string]string) Options {
			env["AWS_BEARER_TOKEN_BEDROCK"] = "ABSK-token"
			return Options{Env: env, SkipAuth: true}
		}, ModeNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := New(t.Context(), tt.opts(sandbox(t)))
			if err != nil {
				t.Fatal(err)
			}
			if a.Mode() != tt.want {
				t.Errorf("mode = %s, want %s", a.Mode(), tt.want)
			}
		})
	}
}

func TestChainSources(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		setup   func(t *testing.T, env map[string]string)
		wantKey string
		wantSrc string
	}{
		{"environment keys with session token", func(t *testing.T, env map[string]string) {
			env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"], env["AWS_SESSION_TOKEN"] = "AKIAENV", "secret", "token"
		}, "AKIAENV", "StaticCredentials"},
		{"profile with static keys", func(t *testing.T, env map[string]string) {
			write(t, env["AWS_SHARED_CREDENTIALS_FILE"], "[dev]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = s\n")
			env["AWS_PROFILE"] = "dev"
		}, "AKIAPROFILE", "SharedConfigCredentials"},
		{"profile with credential_process", func(t *testing.T, env map[string]string) {
			script := filepath.Join(env["HOME"], "creds.sh")
			write(t, script, "#!/bin/sh\necho '{\"Version\":1,\"AccessKeyId\":\"AKIAPROC\",\"SecretAccessKey\":\"s\",\"SessionToken\":\"t\"}'\n")
			write(t, env["AWS_CONFIG_FILE"], "[profile proc]\ncredential_process = "+script+"\n")
			env["AWS_PROFILE"] = "proc"
		}, "AKIAPROC", "ProcessProvider"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := sandbox(t)
			tt.setup(t, env)
			a, err := New(t.Context(), Options{Env: env, Region: "us-east-1"})
			if err != nil {
				t.Fatal(err)
			}
			c, err := a.Credentials(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			if c.AccessKeyID != tt.wantKey || !strings.HasPrefix(c.Source, tt.wantSrc) {
				t.Errorf("credentials %s from %q, want %s from %s", c.AccessKeyID, c.Source, tt.wantKey, tt.wantSrc)
			}
		})
	}
}

func TestNoCredentialsFailsFast(t *testing.T) {
	t.Parallel()
	a, err := New(t.Context(), Options{Env: sandbox(t), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = a.Credentials(t.Context())
	var ae *Error
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v (%T), want *Error", err, err)
	}
	if !strings.Contains(ae.Fix, "AWS_PROFILE") || !strings.Contains(ae.Fix, "awsAuthRefresh") {
		t.Errorf("fix = %q", ae.Fix)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s to fail", d) // a guard against a retry loop, not a benchmark
	}
}

func TestParseExport(t *testing.T) {
	t.Parallel()
	exp := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name    string
		out     string
		wantKey string
		wantExp time.Time
		wantErr string
	}{
		{"sts shape", `{"Credentials":{"AccessKeyId":"AKIA1","SecretAccessKey":"s","SessionToken":"t","Expiration":"2030-01-02T03:04:05Z"}}`, "AKIA1", exp, ""},
		{"process shape", `{"Version":1,"AccessKeyId":"AKIA2","SecretAccessKey":"s","SessionToken":"t","Expiration":"2030-01-02T03:04:05+00:00"}`, "AKIA2", exp, ""},
		{"no expiration", `{"Credentials":{"AccessKeyId":"AKIA3","SecretAccessKey":"s"}}`, "AKIA3", time.Time{}, ""},
		{"not JSON", `AccessKeyId=AKIA SecretAccessKey=hunter2`, "", time.Time{}, "not JSON (syntax error at byte 1 of 40)"},
		{"missing secret", `{"Credentials":{"AccessKeyId":"AKIA4","SessionToken":"hunter2"}}`, "", time.Time{}, "missing [SecretAccessKey]"},
		{"bad expiration", `{"AccessKeyId":"A","SecretAccessKey":"hunter2","Expiration":"tomorrow"}`, "", time.Time{}, `Expiration is not an RFC 3339 time such as 2026-01-02T15:04:05Z (8 characters, not shown: the output holds secrets)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, err := parseExport([]byte(tt.out))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "hunter2") {
					t.Errorf("error leaks the output: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.AccessKeyID != tt.wantKey || !c.Expires.Equal(tt.wantExp) || c.CanExpire != !tt.wantExp.IsZero() {
				t.Errorf("got %s expiring %v (%v)", c.AccessKeyID, c.Expires, c.CanExpire)
			}
		})
	}
}

// exportScript writes a command that hands out a new key on each run and
// counts its runs in a file.
func exportScript(t *testing.T, dir, expiration string) (cmd, counter string) {
	t.Helper()
	counter = filepath.Join(dir, "count")
	script := filepath.Join(dir, "export.sh")
	write(t, script, fmt.Sprintf(`#!/bin/sh
n=$(cat %[1]s 2>/dev/null || echo 0); n=$((n+1)); echo $n > %[1]s
printf '{"Credentials":{"AccessKeyId":"AKIAEXPORT%%d","SecretAccessKey":"s","SessionToken":"t"%[2]s}}' $n
`, counter, expiration))
	return script, counter
}

func runs(t *testing.T, counter string) int {
	t.Helper()
	b, _ := os.ReadFile(counter)
	var n int
	fmt.Sscan(string(b), &n)
	return n
}

func TestExportCaching(t *testing.T) {
	t.Parallel()
	t.Run("cached while valid", func(t *testing.T) {
		t.Parallel()
		env := sandbox(t)
		cmd, counter := exportScript(t, env["HOME"], `,"Expiration":"`+time.Now().Add(time.Hour).UTC().Format(time.RFC3339)+`"`)
		a, _ := New(t.Context(), Options{Env: env, ExportCommand: cmd})
		for range 3 {
			if _, err := a.Credentials(t.Context()); err != nil {
				t.Fatal(err)
			}
		}
		if n := runs(t, counter); n != 1 {
			t.Errorf("export ran %d times, want 1", n)
		}
	})
	t.Run("re-run within five minutes of expiry", func(t *testing.T) {
		t.Parallel()
		env := sandbox(t)
		cmd, counter := exportScript(t, env["HOME"], `,"Expiration":"`+time.Now().Add(4*time.Minute).UTC().Format(time.RFC3339)+`"`)
		a, _ := New(t.Context(), Options{Env: env, ExportCommand: cmd})
		c1, _ := a.Credentials(t.Context())
		c2, _ := a.Credentials(t.Context())
		if n := runs(t, counter); n != 2 || c1.AccessKeyID == c2.AccessKeyID {
			t.Errorf("export ran %d times (%s, %s), want 2 with new keys", n, c1.AccessKeyID, c2.AccessKeyID)
		}
	})
	t.Run("failing command names the setting, not the output", func(t *testing.T) {
		t.Parallel()
		env := sandbox(t)
		a, _ := New(t.Context(), Options{Env: env, ExportCommand: "echo hunter2-secret; echo oops >&2; exit 3"})
		_, err := a.Credentials(t.Context())
		var ae *Error
		if !errors.As(err, &ae) || !strings.Contains(err.Error(), "run awsCredentialExport: exit status 3") {
			t.Fatalf("err = %v", err)
		}
		if strings.Contains(err.Error()+ae.Fix, "hunter2") {
			t.Errorf("error leaks output: %v", err)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		t.Parallel()
		env := sandbox(t)
		a, _ := New(t.Context(), Options{Env: env, ExportCommand: "sleep 30", ExportTimeout: 200 * time.Millisecond})
		_, err := a.Credentials(t.Context())
		if err == nil || !strings.Contains(err.Error(), "timed out after 200ms") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("stdin is closed", func(t *testing.T) {
		t.Parallel()
		env := sandbox(t)
		// A command that reads stdin must see EOF at once, not hang.
		a, _ := New(t.Context(), Options{Env: env, ExportTimeout: 5 * time.Second,
			ExportCommand: `read x; printf '{"AccessKeyId":"AKIAIN","SecretAccessKey":"s"}'`})
		if c, err := a.Credentials(t.Context()); err != nil || c.AccessKeyID != "AKIAIN" {
			t.Fatalf("got %v, %v", c.AccessKeyID, err)
		}
	})
}

func TestRefresh(t *testing.T) {
	t.Parallel()
	t.Run("reloads the credentials file and streams output", func(t *testing.T) {
		t.Parallel()
		env := sandbox(t)
		creds := env["AWS_SHARED_CREDENTIALS_FILE"]
		write(t, creds, "[default]\naws_access_key_id = AKIAOLD\naws_secret_access_key = s\n")
		var mu sync.Mutex
		var lines []string
		a, _ := New(t.Context(), Options{
			Env: env, Region: "us-east-1",
			RefreshCommand: fmt.Sprintf(`echo "Open https://device.sso.example/ABCD"; echo "code: WXYZ" >&2; printf '[default]\naws_access_key_id = AKIANEW\naws_secret_access_key = s\n' > %s`, creds),
			RefreshOutput:  func(l string) { mu.Lock(); lines = append(lines, l); mu.Unlock() },
		})
		c, err := a.Credentials(t.Context())
		if err != nil || c.AccessKeyID != "AKIAOLD" {
			t.Fatalf("before: %v %v", c.AccessKeyID, err)
		}
		if err := a.Refresh(t.Context(), a.Generation()); err != nil {
			t.Fatal(err)
		}
		c, err = a.Credentials(t.Context())
		if err != nil || c.AccessKeyID != "AKIANEW" {
			t.Fatalf("after: %v %v", c.AccessKeyID, err)
		}
		if diff := cmp.Diff([]string{"Open https://device.sso.example/ABCD", "code: WXYZ"}, lines); diff != "" {
			t.Errorf("output mismatch (-want +got):\n%s", diff)
		}
	})
	t.Run("concurrent callers share one refresh", func(t *testing.T) {
		t.Parallel()
		env := sandbox(t)
		counter := filepath.Join(env["HOME"], "n")
		a, _ := New(t.Context(), Options{Env: env, ExportCommand: `printf '{"AccessKeyId":"A","SecretAccessKey":"s"}'`,
			RefreshCommand: fmt.Sprintf("sleep 0.2; echo x >> %s", counter)})
		gen := a.Generation()
		var wg sync.WaitGroup
		var failures atomic.Int32
		for range 8 {
			wg.Go(func() {
				if err := a.Refresh(t.Context(), gen); err != nil {
					failures.Add(1)
				}
			})
		}
		wg.Wait()
		b, _ := os.ReadFile(counter)
		if n := strings.Count(string(b), "x"); n != 1 || failures.Load() != 0 {
			t.Errorf("refresh ran %d times with %d failures, want once", n, failures.Load())
		}
		if a.Generation() != gen+1 {
			t.Errorf("generation %d, want %d", a.Generation(), gen+1)
		}
		// A caller whose failure predates the refresh does not refresh again.
		if err := a.Refresh(t.Context(), gen); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(counter); strings.Count(string(b), "x") != 1 {
			t.Error("stale generation refreshed again")
		}
	})
	t.Run("failing refresh says which command ran", func(t *testing.T) {
		t.Parallel()
		env := sandbox(t)
		a, _ := New(t.Context(), Options{Env: env, Region: "us-east-1", RefreshCommand: "aws-sso-nope login"})
		_, err := a.Credentials(t.Context())
		var ae *Error
		if !errors.As(err, &ae) || !strings.Contains(err.Error(), "run awsAuthRefresh (aws-sso-nope login): command not found") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("cancellation stops the command", func(t *testing.T) {
		t.Parallel()
		env := sandbox(t)
		a, _ := New(t.Context(), Options{Env: env, ExportCommand: "true", RefreshCommand: "sleep 30"})
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		defer cancel()
		start := time.Now()
		err := a.Refresh(ctx, a.Generation())
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 5*time.Second {
			t.Fatalf("err = %v after %s", err, time.Since(start))
		}
	})
}
