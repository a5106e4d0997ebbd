package awsauth_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/emulator/emulatortest"
)

// TestSkipCredCache: CLAUDE_CODE_SKIP_AWS_CRED_CACHE resolves the chain for
// every request, so keys rotated in the credentials file apply at once;
// by default the SDK's cache keeps the first ones.
func TestSkipCredCache(t *testing.T) {
	for _, skip := range []bool{false, true} {
		t.Run(map[bool]string{false: "cached", true: "skipped"}[skip], func(t *testing.T) {
			env := emulatortest.Env(t)
			creds := env["AWS_SHARED_CREDENTIALS_FILE"]
			write := func(id string) {
				os.MkdirAll(filepath.Dir(creds), 0o755)
				if err := os.WriteFile(creds, []byte("[default]\naws_access_key_id = "+id+"\naws_secret_access_key = s\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			write("AKIAFIRSTKEY")
			a, err := awsauth.New(t.Context(), awsauth.Options{Env: env, Region: "us-east-1", SkipCredCache: skip})
			if err != nil {
				t.Fatal(err)
			}
			if c, err := a.Credentials(t.Context()); err != nil || c.AccessKeyID != "AKIAFIRSTKEY" {
				t.Fatalf("first: %v %v", c.AccessKeyID, err)
			}
			write("AKIASECONDKEY")
			c, err := a.Credentials(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			want := map[bool]string{false: "AKIAFIRSTKEY", true: "AKIASECONDKEY"}[skip]
			if c.AccessKeyID != want {
				t.Errorf("after rotation: %s, want %s", c.AccessKeyID, want)
			}
		})
	}
}

// TestChainResolveTimeout: a credential source that hangs fails within
// CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS, naming the variable.
func TestChainResolveTimeout(t *testing.T) {
	env := emulatortest.Env(t)
	cfg := env["AWS_CONFIG_FILE"]
	os.MkdirAll(filepath.Dir(cfg), 0o755)
	if err := os.WriteFile(cfg, []byte("[default]\ncredential_process = sleep 3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a, err := awsauth.New(t.Context(), awsauth.Options{Env: env, Region: "us-east-1", ChainTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = a.Credentials(t.Context())
	var ae *awsauth.Error
	if !errors.As(err, &ae) || !strings.Contains(err.Error(), "CLAUDE_CODE_AWS_CHAIN_RESOLVE_TIMEOUT_MS") {
		t.Fatalf("err = %v, want an *awsauth.Error naming the variable", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s, want about the timeout", d)
	}
}
