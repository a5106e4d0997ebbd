package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// welcomeEntry opens the conversation: where the session is (version,
// model, provider and region, working directory) and how to get help.
// It reads the info of the moment it is drawn, so a /model shows.
type welcomeEntry struct {
	version string
	info    func() Info
}

func (e *welcomeEntry) lines(rc *renderCtx) [][]string {
	i := e.info()
	st := rc.st
	title := "✻ basalt"
	if e.version != "" {
		title += " " + e.version
	}
	model := i.Model
	if i.ModelName != "" {
		model = i.ModelName + " (" + i.Model + ")"
	}
	if i.ModelID != "" && i.ModelID != i.Model {
		model += " · " + i.ModelID
	}
	where := i.Provider
	if i.Region != "" {
		where += " · " + i.Region
	}
	rows := [][2]string{{"model", model}, {"provider", where}, {"cwd", i.WorkDir}}
	out := []string{st.bold.Render(title)}
	for _, r := range rows {
		if strings.TrimSpace(r[1]) == "" {
			continue
		}
		out = append(out, ansi.Truncate("  "+st.dim.Render(padRight(r[0], 9))+r[1], rc.width, "…"))
	}
	out = append(out, wrapIndent("  ", st.dim.Render("/help for keys and commands · shift+tab cycles the permission mode"), rc.width)...)
	return [][]string{out}
}
