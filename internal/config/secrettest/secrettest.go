// Package secrettest is the one fixture of secrets of every shape that
// the tests of every output run through: config show, doctor, headless
// output, the log file, the transcript, /status and the environment of the
// Bash tool. None of the Leak strings may ever appear in any of them.
package secrettest

import (
	"encoding/json"
	"sort"
	"strings"
)

// Where says how a fixture secret reaches basalt.
type Where int

const (
	// Settings: in the "env" of a settings file.
	Settings Where = iota
	// Process: in basalt's own process environment. Only basalt's own
	// secrets are there: a user's shell variables are theirs to pass to
	// their commands (DESIGN.md §4).
	Process
	// Bedrock: the Bedrock API key, in the process environment of the
	// tests that run against an emulator that accepts it (BedrockToken).
	Bedrock
	// Export: credentials basalt obtains itself, from the output of
	// awsCredentialExport (ExportOutput).
	Export
)

// Secret is one secret of the fixture.
type Secret struct {
	Name  string // the variable it is set under
	Value string // its whole value
	Leak  string // the part that must never be printed, logged or passed on
	Shape string // what the rule must recognise: the name or the value's shape
	Where Where
}

// Fixture returns the secrets. Names without a secret word test the
// value's shape alone.
func Fixture() []Secret {
	return []Secret{
		{"DATABASE_URL", "postgres://app:Pg-Pa55w0rd-Zq81@db.internal:5432/app", "Pg-Pa55w0rd-Zq81", "URL user-info", Settings},
		{"MIRROR_PROXY", "http://proxyuser:Pr0xy-S3cr3t-77@proxy.corp.example:3128", "Pr0xy-S3cr3t-77", "proxy URL user-info", Settings},
		{"GITHUB_PAT", "pat-value-nhq8sd7f", "pat-value-nhq8sd7f", "name *_PAT", Settings},
		{"DEPLOY_PASSPHRASE", "correct horse battery staple", "correct horse battery staple", "name *PASS*", Settings},
		{"SENTRY_DSN", "https://dsnKey9f8e7d6c@o1.ingest.example.io/42", "dsnKey9f8e7d6c", "name *DSN*", Settings},
		{"UPSTREAM_COOKIE", "sid=c00kie-v4lue-fixture", "c00kie-v4lue-fixture", "name *COOKIE*", Settings},
		{"WEB_SESSION", "sess-v4lue-fixture-55", "sess-v4lue-fixture-55", "name *SESSION*", Settings},
		{"BASIC_AUTH_PAIR", "admin:adm1n-p4ss-fixture", "adm1n-p4ss-fixture", "name *AUTH*", Settings},
		{"SIGNING_PRIVATE_MATERIAL", "pr1v4te-m4terial-fixture", "pr1v4te-m4terial-fixture", "name *PRIVATE*", Settings},
		{"WEBHOOK_SIGNATURE", "s1gn4ture-fixture-value", "s1gn4ture-fixture-value", "name *SIGNATURE*", Settings},
		{"GATEWAY_CREDENTIAL", "cr3d-fixture-value-x", "cr3d-fixture-value-x", "name *CREDENTIAL*", Settings},
		{"MY_SERVICE_TOKEN", "plain-token-value-0042", "plain-token-value-0042", "name *TOKEN*", Settings},
		{"BUILD_NOTE", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJmaXh0dXJlIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "JWT", Settings},
		{"BACKUP_ACCESS_ID", "AKIAZ7FIXTUREQ4RTY2X", "AKIAZ7FIXTUREQ4RTY2X", "AWS access key ID", Settings},
		{"BACKUP_BLOB", "Zq8vR2tL5mN9pK3xW7yB4cD6fH1jG0sA/eT+uIoP", "Zq8vR2tL5mN9pK3xW7yB4cD6fH1jG0sA/eT+uIoP", "AWS secret key (40 base64 characters)", Settings},
		{"UPSTREAM_HEADER", "Bearer gw-9f8e7d6c5b4a", "gw-9f8e7d6c5b4a", "bearer token", Settings},
		{"REPO_HELPER", "ghp_R4nd0mT0k3nV4lu3Xy12Zz34Ab56Cd78Ef90", "ghp_R4nd0mT0k3nV4lu3Xy12Zz34Ab56Cd78Ef90", "GitHub token", Settings},
		{"REPO_HELPER_FINE", "github_pat_11FIXTURE0123456789_abcdefghijklmnopqrstuvwxyz", "github_pat_11FIXTURE0123456789_abcdefghijklmnopqrstuvwxyz", "GitHub fine-grained token", Settings},
		{"NOTIFY_WITH", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "Slack token", Settings},
		{"FALLBACK_ENDPOINT_CRED_B", "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0-AAAA", "sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0-AAAA", "Anthropic key", Settings},
		{"BUILD_CACHE_SEED", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b", "long hex", Settings},
		{"OPAQUE_BLOB", "Q2hlY2tZb3VyU2VjcmV0c0JlZm9yZVlvdUNvbW1pdDk4NzY1", "Q2hlY2tZb3VyU2VjcmV0c0JlZm9yZVlvdUNvbW1pdDk4NzY1", "long random base64", Settings},
		{"SIGNING_MATERIAL", "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAq7BFUfixturePEMbody0123\n-----END RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEAq7BFUfixturePEMbody0123", "PEM private key", Settings},

		{"ANTHROPIC_CUSTOM_HEADERS", "X-Amzn-Bedrock-Trace: DISABLED\nCookie: sid=C00kieV4lue-31337; theme=dark\nX-Gateway-Secret: gw-s3cr3t-h34der-v4lu3", "C00kieV4lue-31337", "Cookie header", Process},
		{"ANTHROPIC_CUSTOM_HEADERS", "", "gw-s3cr3t-h34der-v4lu3", "X-Gateway-Secret header", Process},
		{"OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Basic b3RlbDpzM2NyM3RGaXh0dXJl", "b3RlbDpzM2NyM3RGaXh0dXJl", "OTLP headers", Process},
		{"OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-honeycomb-team=hcTeamKey0987654321", "hcTeamKey0987654321", "OTEL_*HEADERS", Process},
		{"ANTHROPIC_API_KEY", "sk-ant-api03-processKeyFixture-000111", "processKeyFixture-000111", "model access key", Process},
		{"ANTHROPIC_AUTH_TOKEN", "auth-token-fixture-0099", "auth-token-fixture-0099", "model access token", Process},
		{"AWS_BEARER_TOKEN_BEDROCK", "ABSKQmVkcm9ja0FQSUtleUZpeHR1cmUwMDAx", "ABSKQmVkcm9ja0FQSUtleUZpeHR1cmUwMDAx", "Bedrock API key", Bedrock},
		{"SecretAccessKey", "ExPoRtEdSeCrEt0123456789abcdefGHIJKLMNOP", "ExPoRtEdSeCrEt0123456789abcdefGHIJKLMNOP", "awsCredentialExport's secret key", Export},
		{"SessionToken", "ExportedSessionTokenFixture+0123456789/abcdefXYZ", "ExportedSessionTokenFixture+0123456789/abcdefXYZ", "awsCredentialExport's session token", Export},
	}
}

// ExportAccessKeyID is the access key ID awsCredentialExport prints with
// the Export secrets.
const ExportAccessKeyID = "ASIAFIXTUREEXPORT001"

// BedrockToken returns the fixture's Bedrock API key.
func BedrockToken() string { return value(Bedrock, "AWS_BEARER_TOKEN_BEDROCK") }

// ExportOutput returns what the fixture's awsCredentialExport prints.
func ExportOutput() string {
	b, err := json.Marshal(map[string]any{"Credentials": map[string]string{
		"AccessKeyId":     ExportAccessKeyID,
		"SecretAccessKey": value(Export, "SecretAccessKey"),
		"SessionToken":    value(Export, "SessionToken"),
	}})
	if err != nil {
		panic(err) // a map of strings always marshals
	}
	return string(b) + "\n"
}

func value(w Where, name string) string {
	for _, s := range Fixture() {
		if s.Where == w && s.Name == name {
			return s.Value
		}
	}
	panic("secrettest: no " + name)
}

// SettingsEnv returns the fixture's settings-file variables.
func SettingsEnv() map[string]string {
	m := map[string]string{}
	for _, s := range Fixture() {
		if s.Where == Settings {
			m[s.Name] = s.Value
		}
	}
	return m
}

// SettingsJSON returns a settings file whose env holds SettingsEnv.
func SettingsJSON() string {
	b, err := json.MarshalIndent(map[string]any{"env": SettingsEnv()}, "", "  ")
	if err != nil {
		panic(err) // a map of strings always marshals
	}
	return string(b) + "\n"
}

// ProcessEnv returns the fixture's process variables.
func ProcessEnv() map[string]string {
	m := map[string]string{}
	for _, s := range Fixture() {
		if s.Where == Process && s.Value != "" {
			m[s.Name] = s.Value
		}
	}
	return m
}

// Find returns a description of every fixture secret that appears in
// text, sorted; none is the only right answer.
func Find(text string) []string {
	var out []string
	for _, s := range Fixture() {
		if strings.Contains(text, s.Leak) {
			out = append(out, s.Name+" ("+s.Shape+")")
		}
		if s.Leak != s.Value && s.Value != "" && strings.Contains(text, s.Value) {
			out = append(out, s.Name+" whole ("+s.Shape+")")
		}
	}
	sort.Strings(out)
	return out
}
