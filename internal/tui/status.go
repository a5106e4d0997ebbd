package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// budgetWarnAt is the share of --max-budget-usd from which the cost is
// shown in the warning colour.
const budgetWarnAt = 0.8

// statusLine is one line: the permission mode, model, provider and region, context used,
// session tokens, cache hit and cost. Parts are dropped, least useful
// first, until it fits.
func (m *Model) statusLine() string {
	i := m.info
	st := m.st
	model := i.Model
	if model == "" {
		model = i.ModelID
	}
	type part struct {
		text string
		drop int // higher drops first
	}
	ctx := "ctx –"
	if i.Window > 0 {
		ctx = fmt.Sprintf("ctx %d%%", 100*i.ContextUsed/i.Window)
	}
	tokens := i.Usage.TotalInput() + i.Usage.OutputTokens
	costText := i.Cost.String()
	if !i.Cost.Known && i.Cost.USD == 0 && tokens == 0 {
		costText = "$0.00"
	}
	costStyled := costText
	if i.MaxBudgetUSD > 0 {
		costText += fmt.Sprintf(" of $%.2f", i.MaxBudgetUSD)
		costStyled = costText
		switch {
		case i.Cost.USD >= i.MaxBudgetUSD:
			costStyled = st.statusErr.Render(costText)
		case i.Cost.USD >= budgetWarnAt*i.MaxBudgetUSD:
			costStyled = st.statusWarn.Render(costText)
		}
	}
	sandboxMark := i.Sandbox
	if sandboxMark == "sandbox off" {
		sandboxMark = st.dim.Render(sandboxMark)
	}
	parts := []part{
		{m.modePart(), 0},
		{sandboxMark, 1},
		{st.dim.Render("shift+tab to cycle"), 4},
		{st.bold.Render(model), 0},
		{st.dim.Render(i.ModelID), 4},
		{effortPart(i.Effort), 1},
		{i.Provider + " " + i.Region, 3},
		{ctx, 1},
		{compact(tokens) + " tokens", 2},
		{fmt.Sprintf("cache %.0f%%", 100*i.Usage.CacheHitRatio()), 2},
		{costStyled, 0},
	}
	if i.ModelID == model {
		parts[4].text = ""
	}
	join := func(maxDrop int) string {
		var out []string
		for _, p := range parts {
			if p.text != "" && p.drop <= maxDrop {
				out = append(out, p.text)
			}
		}
		return " " + strings.Join(out, st.dim.Render(" · "))
	}
	for d := 4; d >= 0; d-- {
		if s := join(d); ansi.StringWidth(s) <= m.width {
			return s
		}
	}
	return ansi.Truncate(join(0), m.width, "…")
}

// effortPart is the effort level in the status line, as Claude Code shows
// it beside the model; "" (none set, or auto) shows nothing.
func effortPart(effort string) string {
	if effort == "" || effort == "auto" {
		return ""
	}
	return "effort " + effort
}
