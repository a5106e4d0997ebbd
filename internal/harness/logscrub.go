package harness

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
)

// scrubLog hides the session's own secret values (config's SecretValues:
// the values of secret-named variables, custom header values, keys from
// awsCredentialExport) in every line of log, whatever their shape. The
// log file's handler already hides secret-shaped text (config.RedactText);
// a gateway token like "team-42" has no shape, so it is hidden by value.
func scrubLog(log *slog.Logger, values []string) *slog.Logger {
	if log == nil || len(values) == 0 {
		return log
	}
	pairs := make([]string, 0, 2*len(values))
	for _, v := range values {
		pairs = append(pairs, v, "****")
	}
	return slog.New(scrubHandler{h: log.Handler(), r: strings.NewReplacer(pairs...)})
}

// logSecrets are the values scrubLog hides: config's SecretValues (what
// tool results hide) and, since the log is read by people the tools'
// output is not (a support ticket), every secret-named variable of the
// effective environment too, the process's own included.
func logSecrets(cfg *config.Config) []string {
	seen := map[string]bool{}
	for _, v := range cfg.SecretValues() {
		seen[v] = true
	}
	for name, v := range cfg.EnvMap() {
		if config.IsSecret(name) && len(v) >= 8 {
			seen[v] = true
		}
	}
	out := slices.Collect(maps.Keys(seen))
	// Longest first, so that a value holding another is hidden whole.
	slices.SortFunc(out, func(a, b string) int { return cmp.Or(len(b)-len(a), strings.Compare(a, b)) })
	return out
}

type scrubHandler struct {
	h slog.Handler
	r *strings.Replacer
}

func (s scrubHandler) Enabled(ctx context.Context, l slog.Level) bool { return s.h.Enabled(ctx, l) }

func (s scrubHandler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, s.r.Replace(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(s.attr(a))
		return true
	})
	return s.h.Handle(ctx, out)
}

func (s scrubHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	scrubbed := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		scrubbed[i] = s.attr(a)
	}
	return scrubHandler{h: s.h.WithAttrs(scrubbed), r: s.r}
}

func (s scrubHandler) WithGroup(name string) slog.Handler {
	return scrubHandler{h: s.h.WithGroup(name), r: s.r}
}

// attr hides secret values in a's text; a value that is not text is
// hidden as its printed form when that held one.
func (s scrubHandler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, s.r.Replace(v.String()))
	case slog.KindGroup:
		group := v.Group()
		out := make([]any, len(group))
		for i, g := range group {
			out[i] = s.attr(g)
		}
		return slog.Group(a.Key, out...)
	case slog.KindAny:
		var text string
		switch x := v.Any().(type) {
		case error:
			text = x.Error()
		case fmt.Stringer:
			text = x.String()
		default:
			text = fmt.Sprint(x)
		}
		if r := s.r.Replace(text); r != text {
			return slog.String(a.Key, r)
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
