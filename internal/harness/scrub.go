package harness

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/basalt-dev/basalt/internal/tool"
)

// scrubTool hides basalt's own secret values (config.Config.SecretValues)
// in what a tool returns, before the model, the transcript or the screen
// see it. The command environment already leaves them out; this catches a
// command that finds one anyway, e.g. by reading a settings file.
type scrubTool struct {
	tool.Tool
	r *strings.Replacer
}

// scrubSecrets wraps tools so that their results never carry values.
func scrubSecrets(tools []tool.Tool, values []string) []tool.Tool {
	if len(values) == 0 {
		return tools
	}
	pairs := make([]string, 0, 2*len(values))
	for _, v := range values {
		pairs = append(pairs, v, "****")
	}
	r := strings.NewReplacer(pairs...)
	out := make([]tool.Tool, len(tools))
	for i, t := range tools {
		out[i] = scrubTool{Tool: t, r: r}
	}
	return out
}

func (t scrubTool) Run(ctx context.Context, s *tool.Session, input json.RawMessage) (tool.Result, error) {
	res, err := t.Tool.Run(ctx, s, input)
	res.Content = t.r.Replace(res.Content)
	return res, err
}
