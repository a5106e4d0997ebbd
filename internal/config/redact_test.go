package config

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/config/secrettest"
)

func TestIsSecret(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		want bool
	}{
		// Known variables follow the table.
		{"AWS_SECRET_ACCESS_KEY", true},
		{"AWS_SESSION_TOKEN", true},
		{"AWS_BEARER_TOKEN_BEDROCK", true},
		{"ANTHROPIC_API_KEY", true},
		{"OTEL_EXPORTER_OTLP_HEADERS", true},
		{"AWS_ACCESS_KEY_ID", false},
		{"AWS_REGION", false},
		{"CLAUDE_CODE_SKIP_BEDROCK_AUTH", false},
		{"CLAUDE_CODE_MAX_OUTPUT_TOKENS", false},
		{"ANTHROPIC_CUSTOM_HEADERS", false}, // redacted header by header
		// Every OTEL_…HEADERS.
		{"OTEL_EXPORTER_OTLP_TRACES_HEADERS", true},
		{"OTEL_EXPORTER_OTLP_LOGS_HEADERS", true},
		// Names that say what they hold.
		{"ANTHROPIC_AUTH_TOKEN", true},
		{"GITHUB_PAT", true},
		{"PAT", true},
		{"PGPASSWORD", true},
		{"DEPLOY_PASSPHRASE", true},
		{"DB_PASSWD", true},
		{"SENTRY_DSN", true},
		{"DATABASE_DSN_RO", true},
		{"CLIENT_SECRET", true},
		{"NPM_TOKEN", true},
		{"SESSION_COOKIE", true},
		{"WEB_SESSION", true},
		{"BASIC_AUTH", true},
		{"OAUTH_CLIENT", true},
		{"GOOGLE_APPLICATION_CREDENTIALS", true},
		{"SSH_PRIVATE", true},
		{"WEBHOOK_SIGNATURE", true},
		{"OPENAI_API_KEY", true},
		{"STRIPE_APIKEY", true},
		{"SIGNING_KEY", true},
		{"x-gateway-secret", true},
		{"Authorization", true},
		{"Proxy-Authorization", true},
		{"token", true},
		// Look-alikes that are not secrets.
		{"PATH", false},
		{"GIT_AUTHOR_NAME", false},
		{"GIT_AUTHOR_EMAIL", false},
		{"MAX_TOKENS", false},
		{"input_tokens", false},
		{"session_id", false},
		{"AWS_PROFILE", false},
		{"HOME", false},
		{"KEYBOARD_LAYOUT", false},
		{"MONKEY", false},
		{"awsAuthRefresh", false},
		{"awsCredentialExport", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := IsSecret(tt.name); got != tt.want {
				t.Errorf("IsSecret(%q) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}

func TestRedactVar(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, value, want string }{
		// By name: hidden whole, the last four kept when long enough.
		{"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "****EKEY"},
		{"AWS_SESSION_TOKEN", "short", "****"},
		{"AWS_BEARER_TOKEN_BEDROCK", "ABSKQmVkcm9ja0FQSUtleS1abcd", "****abcd"},
		{"ANTHROPIC_API_KEY", "sk-ant-api03-xyz-9876", "****9876"},
		{"MY_GATEWAY_TOKEN", "tok-0123456789", "****"},
		{"OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Basic dXNlcjpwYXNzd29yZA==", "****ZA=="},
		{"PGPASSWORD", "hunter2", "****"},
		{"EMPTY_TOKEN", "", ""},
		// By shape, whatever the name.
		{"DATABASE_URL", "postgres://app:s3cr3t@db:5432/app", "postgres://app:****@db:5432/app"},
		{"HTTPS_PROXY", "http://user:pass@proxy:3128", "http://user:****@proxy:3128"},
		{"HTTPS_PROXY", "http://u:p@ss:w0rd@proxy:3128", "http://u:****@proxy:3128"},
		{"GIT_REMOTE", "https://ghp_abcdefghijklmnop1234567890@github.com/o/r", "https://****7890@github.com/o/r"},
		{"GIT_REMOTE", "https://x0123456789abcdefgh@example.com/o/r", "https://****@example.com/o/r"},
		{"GIT_REMOTE", "ssh://git@github.com/o/r", "ssh://git@github.com/o/r"},
		{"NOTE", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcDEF123_-x", "****3_-x"},
		{"NOTE", "AKIAIOSFODNN7EXAMPLE", "****MPLE"},
		{"NOTE", "ASIAXYZXYZXYZXYZXYZ1", "****XYZ1"},
		{"NOTE", "Bearer abc.def-123", "Bearer ****"},
		{"NOTE", "Basic dXNlcjpwYXNz", "Basic ****"},
		{"NOTE", "ghp_R4nd0mT0k3nV4lu3Xy12Zz34", "****Zz34"},
		{"NOTE", "github_pat_11ABC0123456789_abcdefghijkl", "****ijkl"},
		{"NOTE", "glpat-abcdefghij0123456789", "****6789"},
		{"NOTE", "xoxb-1234-5678-abcdefgh", "****efgh"},
		{"NOTE", "sk-ant-api03-abcdefghij", "****ghij"},
		{"NOTE", "sk-proj-abcdefghijklmnopqrstuvwx", "****uvwx"},
		{"NOTE", "sk_live_abcdefghijklmnop", "****mnop"},
		{"NOTE", "npm_abcdefghijklmnopqrstuvwxyz0123", "****0123"},
		{"NOTE", "AIzaSyA1234567890abcdefghijklmnopqrstu", "****rstu"},
		{"NOTE", "https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX", "https://hooks.slack.com/services/****XXXX"},
		{"NOTE", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b", "****4f1b"},
		{"NOTE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "****EKEY"},
		{"NOTE", "k3j9x0q7w2m5t8r1z4v6b3n0p9y2h5l7", "****h5l7"},
		{"NOTE", "K5T3Q2X7M4P6R2W3Z7N5B4V6C2X3L7J4", "****L7J4"},
		{"NOTE", "release-2026-01-02-build-1234567890", "release-2026-01-02-build-1234567890"},
		{"NOTE", "my-very-long-project-name-for-testing2", "my-very-long-project-name-for-testing2"},
		{"NOTE", "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", "-----BEGIN OPENSSH PRIVATE KEY-----****-----END OPENSSH PRIVATE KEY-----"},
		{"NOTE", "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC", "-----BEGIN PRIVATE KEY-----****"},
		{"NOTE", "host=db user=app password=s3cr3t-value sslmode=require", "host=db user=app password=**** sslmode=require"},
		{"NOTE", `{"client_secret": "abcdefghijklmnopqrst"}`, `{"client_secret": "****qrst"}`},
		{"NOTE", "https://api.example.com/v1?access_token=abc123def&x=1", "https://api.example.com/v1?access_token=****&x=1"},
		{"NOTE", "curl -H 'X-Api-Key: abcdefgh12345' https://x", "curl -H 'X-Api-Key: ****' https://x"},
		{"NOTE", "db:\n  host: db.internal\n  password: hunter2-x  \n", "db:\n  host: db.internal\n  password: ****  \n"},
		{"NOTE", "Cookie: sid=abc; theme=dark", "Cookie: ****dark"},
		// Go's error style and flags naming files stay readable.
		{"NOTE", "--credentials: load credentials: open /tmp/none.json: no such file or directory", "--credentials: load credentials: open /tmp/none.json: no such file or directory"},
		{"NOTE", "resolve AWS credentials: token: expired", "resolve AWS credentials: token: expired"},
		{"NOTE", "basalt emulator --credentials=/tmp/keys.json", "basalt emulator --credentials=/tmp/keys.json"},
		// Custom headers: every value hidden but the known harmless ones.
		{"ANTHROPIC_CUSTOM_HEADERS", "X-Amzn-Bedrock-GuardrailIdentifier: gr1\nX-Amzn-Bedrock-GuardrailVersion: 1\nX-Amzn-Bedrock-Trace: ENABLED\nUser-Agent: team-ci\nContent-Type: application/json",
			"X-Amzn-Bedrock-GuardrailIdentifier: gr1\nX-Amzn-Bedrock-GuardrailVersion: 1\nX-Amzn-Bedrock-Trace: ENABLED\nUser-Agent: team-ci\nContent-Type: application/json"},
		{"ANTHROPIC_CUSTOM_HEADERS", "Authorization: Bearer gateway-secret-42\nCookie: sid=abc; theme=dark\nX-Gateway-Secret: gws\nX-Team: platform",
			"Authorization: ****t-42\nCookie: ****dark\nX-Gateway-Secret: ****\nX-Team: ****"},
		{"ANTHROPIC_CUSTOM_HEADERS", "X-Amzn-Bedrock-GuardrailIdentifier: gr1\nnot a header line sk-1234", "X-Amzn-Bedrock-GuardrailIdentifier: gr1\n****"},
		// What is not secret stays readable.
		{"AWS_REGION", "us-east-1", "us-east-1"},
		{"ANTHROPIC_MODEL", "us.anthropic.claude-haiku-4-5-20251001-v1:0", "us.anthropic.claude-haiku-4-5-20251001-v1:0"},
		{"ANTHROPIC_MODEL", "global.anthropic.claude-sonnet-4-6", "global.anthropic.claude-sonnet-4-6"},
		{"ANTHROPIC_MODEL", "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6", "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6"},
		{"AWS_PROFILE", "team-sandbox-admin", "team-sandbox-admin"},
		{"AWS_CONFIG_FILE", "/Users/JohnSmith/Projects/MyApp2/config/aws/ConfigFile", "/Users/JohnSmith/Projects/MyApp2/config/aws/ConfigFile"},
		{"SRC", "src/Components/Button2/IndexPageWrapperLayout.tsx", "src/Components/Button2/IndexPageWrapperLayout.tsx"},
		{"ANTHROPIC_BEDROCK_BASE_URL", "https://bedrock-gateway.example.com:8443/v1", "https://bedrock-gateway.example.com:8443/v1"},
		{"SESSION_REF", "7c9e6679-7425-40de-944b-e07fc1f90ae7", "****0ae7"}, // named *SESSION*
		{"REQUEST", "7c9e6679-7425-40de-944b-e07fc1f90ae7", "7c9e6679-7425-40de-944b-e07fc1f90ae7"},
		{"IMAGE", "ghcr.io/o/app@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b4c7d659a2feaa0c55ad015a3", "ghcr.io/o/app@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b4c7d659a2feaa0c55ad015a3"},
		{"CLASS", "ThisIsAVeryLongCamelCaseName2ForTesting", "ThisIsAVeryLongCamelCaseName2ForTesting"},
		{"NOTE", "Bearer Token1234", "Bearer ****"},
		{"NOTE", "the bearer token expired; Basic authentication failed", "the bearer token expired; Basic authentication failed"},
		{"NOTE", "max_tokens: 4096, input_tokens=12", "max_tokens: 4096, input_tokens=12"},
		{"awsAuthRefresh", "aws sso login --profile team", "aws sso login --profile team"},
		{"NOTE", "awsAuthRefresh: exit status 1", "awsAuthRefresh: exit status 1"},
		{"AWS_ACCESS_KEY_ID", "AKIAEXAMPLE", "AKIAEXAMPLE"},
		{"CLAUDE_CODE_USE_BEDROCK", "1", "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name+"="+tt.value, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, RedactVar(tt.name, tt.value)); diff != "" {
				t.Errorf("RedactVar mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIsSecretHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		want bool
	}{
		{"X-Amzn-Bedrock-GuardrailIdentifier", false},
		{"x-amzn-bedrock-guardrailversion", false},
		{"X-Amzn-Bedrock-Trace", false},
		{"User-Agent", false},
		{"Content-Type", false},
		{"Cookie", true},
		{"X-Gateway-Secret", true},
		{"Authorization", true},
		{"X-Api-Key", true},
		{"X-Team", true}, // unknown: fail closed
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := IsSecretHeader(tt.name); got != tt.want {
				t.Errorf("IsSecretHeader(%q) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}

// TestFixtureRedacted runs the shared fixture through the rule: by
// variable, and inside a free text such as an error message or a log
// line.
func TestFixtureRedacted(t *testing.T) {
	t.Parallel()
	var all []string
	for _, s := range secrettest.Fixture() {
		if s.Value == "" {
			continue
		}
		t.Run(s.Name+"/"+s.Shape, func(t *testing.T) {
			t.Parallel()
			if got := secrettest.Find(RedactVar(s.Name, s.Value)); len(got) > 0 {
				t.Errorf("RedactVar(%s) leaks %v", s.Name, got)
			}
		})
		all = append(all, s.Name+"="+s.Value)
		if IsSecret(s.Name) {
			continue // in a text only the name says so, and a text loses it
		}
		t.Run("text/"+s.Shape, func(t *testing.T) {
			t.Parallel()
			text := "run failed: " + s.Value + " was refused"
			if got := secrettest.Find(RedactText(text)); len(got) > 0 {
				t.Errorf("RedactText(%q) leaks %v", text, got)
			}
		})
	}
	t.Run("env listing", func(t *testing.T) {
		t.Parallel()
		if got := secrettest.Find(RedactText(strings.Join(all, "\n"))); len(got) > 0 {
			t.Errorf("RedactText of an env listing leaks %v", got)
		}
	})
}
