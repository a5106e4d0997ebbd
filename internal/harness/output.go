package harness

import (
	"fmt"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/model"
)

// outputLimits is what requests to m send (config.OutputLimitsFor), or a
// *UsageError when the CLAUDE_CODE_MAX_OUTPUT_TOKENS the user set is above
// m's maximum output: config.Load catches that for the configured model,
// this for a model known only after a look-up (an application inference
// profile) or switched to with /model.
func outputLimits(cfg *config.Config, m model.Resolved) (config.OutputLimits, error) {
	l := cfg.OutputLimitsFor(m.Model)
	v := cfg.MaxOutputTokens
	if v.Set && l.ModelMax > 0 && v.Value > l.ModelMax {
		return l, &UsageError{
			Err:  fmt.Errorf("CLAUDE_CODE_MAX_OUTPUT_TOKENS=%d (%s) is above the maximum output of %s, %d tokens", v.Value, v.Source, m.ID, l.ModelMax),
			Hint: fmt.Sprintf("set it to %d or less, or unset it for the default %d", l.ModelMax, config.DefaultMaxOutputTokens),
		}
	}
	return l, nil
}
