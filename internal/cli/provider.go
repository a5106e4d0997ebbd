package cli

import (
	"context"
	"fmt"

	"github.com/basalt-dev/basalt/internal/awsauth"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/provider"
)

// newProvider builds the credentials and the model client from the loaded
// configuration. The output of awsAuthRefresh goes to refreshOut, line by
// line (stderr in headless mode; the TUI passes its own sink).
func (a *App) newProvider(ctx context.Context, refreshOut func(string)) (*provider.Client, error) {
	cfg, err := a.loadConfig(ctx)
	if err != nil {
		return nil, err
	}
	if err := cfg.RequireProvider(); err != nil {
		return nil, &UsageError{Err: err, Hint: "for example: export CLAUDE_CODE_USE_BEDROCK=1 AWS_REGION=us-east-1"}
	}
	if refreshOut == nil {
		refreshOut = func(line string) { fmt.Fprintf(a.IO.ErrOut, "awsAuthRefresh: %s\n", line) }
	}
	var auth *awsauth.Auth
	if cfg.Provider.Value == config.ProviderBedrock {
		auth, err = awsauth.New(ctx, awsauth.Options{
			Env:            cfg.EnvMap(),
			Region:         cfg.Region.Value,
			SkipAuth:       cfg.SkipBedrockAuth.Value,
			ExportCommand:  cfg.AWSCredentialExport.Value,
			RefreshCommand: cfg.AWSAuthRefresh.Value,
			RefreshOutput:  refreshOut,
			Log:            a.Log,
		})
		if err != nil {
			return nil, err
		}
	}
	pc := provider.ConfigFrom(cfg, auth)
	pc.Log = a.Log
	return provider.New(pc)
}
