package cli

import (
	"context"

	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/provider"
)

// newProvider builds the credentials and the model client of the loaded
// configuration, through the harness, for the commands that talk to the
// service without a session (models, iam-policy, setup's probe). The
// output of awsAuthRefresh goes to refreshOut, line by line (nil: stderr).
func (a *App) newProvider(ctx context.Context, refreshOut func(string)) (*provider.Client, error) {
	cfg, err := a.loadConfig(ctx)
	if err != nil {
		return nil, err
	}
	if refreshOut == nil {
		refreshOut = a.refreshToStderr
	}
	c, _, err := harness.NewClient(ctx, cfg, harness.ClientOptions{RefreshOutput: refreshOut, Log: a.Log})
	return c, err
}
