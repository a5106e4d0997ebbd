package awsauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// exportProvider runs awsCredentialExport and parses what it prints. It is
// wrapped in an aws.CredentialsCache that re-runs it five minutes before
// the credentials expire.
type exportProvider struct {
	command string
	env     []string
	timeout time.Duration
}

// exportOutput accepts both shapes DESIGN.md §5 names: STS's
// {"Credentials":{...}} and `aws configure export-credentials --format
// process` ({"Version":1,"AccessKeyId":...}).
type exportOutput struct {
	Credentials *exportCreds `json:"Credentials"`
	exportCreds
	Version int `json:"Version"`
}

type exportCreds struct {
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	SessionToken    string `json:"SessionToken"`
	Expiration      string `json:"Expiration"`
}

const exportSetting = "awsCredentialExport"

func (p *exportProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	out, err := runCaptured(ctx, p.command, p.env, p.timeout)
	if err != nil {
		return aws.Credentials{}, authErrorf("run "+exportSetting, "check that the command in your awsCredentialExport setting works when run on its own (`basalt config show` says which file sets it)", "%w", err)
	}
	return parseExport(out)
}

// parseExport never quotes the output: it holds secrets.
func parseExport(out []byte) (aws.Credentials, error) {
	fix := "awsCredentialExport must print {\"Credentials\":{\"AccessKeyId\",\"SecretAccessKey\",\"SessionToken\",\"Expiration\"}} or the output of `aws configure export-credentials --format process`"
	var o exportOutput
	if err := json.Unmarshal(out, &o); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return aws.Credentials{}, authErrorf("parse "+exportSetting+" output", fix, "not JSON (syntax error at byte %d of %d)", se.Offset, len(out))
		}
		return aws.Credentials{}, authErrorf("parse "+exportSetting+" output", fix, "unexpected JSON shape")
	}
	c := o.exportCreds
	if o.Credentials != nil {
		c = *o.Credentials
	}
	var missing []string
	if c.AccessKeyID == "" {
		missing = append(missing, "AccessKeyId")
	}
	if c.SecretAccessKey == "" {
		missing = append(missing, "SecretAccessKey")
	}
	if len(missing) > 0 {
		return aws.Credentials{}, authErrorf("parse "+exportSetting+" output", fix, "missing %v", missing)
	}
	creds := aws.Credentials{
		AccessKeyID:     c.AccessKeyID,
		SecretAccessKey: c.SecretAccessKey,
		SessionToken:    c.SessionToken,
		Source:          exportSetting,
	}
	if c.Expiration != "" {
		t, err := time.Parse(time.RFC3339, c.Expiration)
		if err != nil {
			return aws.Credentials{}, authErrorf("parse "+exportSetting+" output", fix, "Expiration is not an RFC 3339 time such as 2026-01-02T15:04:05Z (%d characters, not shown: the output holds secrets)", len(c.Expiration))
		}
		creds.CanExpire, creds.Expires = true, t
	}
	return creds, nil
}

// String keeps a provider printed by mistake free of secrets.
func (p *exportProvider) String() string {
	return fmt.Sprintf("%s(%d bytes of command)", exportSetting, len(p.command))
}
