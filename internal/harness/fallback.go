package harness

import (
	"fmt"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/model"
)

// resolveFallbacks resolves --fallback-model, a comma-separated list as
// Claude Code takes it, each name exactly as --model would resolve it
// (aliases, the configuration's alias pins and overrides, the region's
// prefix). An unknown name is a usage error naming it.
func resolveFallbacks(cfg *config.Config, list string) ([]model.Resolved, error) {
	var out []model.Resolved
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		c := *cfg
		c.Model = config.Value[string]{Value: name, Set: true, Source: config.Source{Kind: config.SourceFlag, Name: "--fallback-model"}}
		r, err := c.ResolveModel(false)
		if err != nil {
			return nil, fmt.Errorf("--fallback-model: %w", err)
		}
		out = append(out, r)
	}
	return out, nil
}
