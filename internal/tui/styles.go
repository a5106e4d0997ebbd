package tui

import (
	"image/color"

	"charm.land/lipgloss/v2"
)

// styles are the colours of one background. The palette is small and uses
// ANSI colours where it can, so that it reads on light and dark terminals
// and the terminal's own theme decides the exact shades.
type styles struct {
	dark bool

	user, dim, bold, accent lipgloss.Style
	ok, warn, err           lipgloss.Style
	added, removed, hunk    lipgloss.Style
	toolName                lipgloss.Style
	border                  lipgloss.Style
	statusWarn, statusErr   lipgloss.Style
}

func newStyles(dark, noColor bool) styles {
	ld := lipgloss.LightDark(dark)
	c := func(light, darkC string) color.Color { return ld(lipgloss.Color(light), lipgloss.Color(darkC)) }
	s := styles{dark: dark}
	if noColor {
		plain := lipgloss.NewStyle()
		s.user, s.dim, s.accent, s.ok, s.warn, s.err = plain, plain, plain, plain, plain, plain
		s.added, s.removed, s.hunk, s.toolName, s.border = plain, plain, plain, plain, plain
		s.bold = plain.Bold(true)
		s.statusWarn, s.statusErr = plain.Bold(true), plain.Bold(true)
		return s
	}
	s.user = lipgloss.NewStyle().Foreground(c("4", "12")).Bold(true)
	s.dim = lipgloss.NewStyle().Foreground(c("8", "8"))
	s.bold = lipgloss.NewStyle().Bold(true)
	s.accent = lipgloss.NewStyle().Foreground(c("5", "13"))
	s.ok = lipgloss.NewStyle().Foreground(c("2", "10"))
	s.warn = lipgloss.NewStyle().Foreground(c("3", "11"))
	s.err = lipgloss.NewStyle().Foreground(c("1", "9"))
	s.added = lipgloss.NewStyle().Foreground(c("2", "10"))
	s.removed = lipgloss.NewStyle().Foreground(c("1", "9"))
	s.hunk = lipgloss.NewStyle().Foreground(c("6", "14"))
	s.toolName = lipgloss.NewStyle().Bold(true)
	s.border = lipgloss.NewStyle().Foreground(c("8", "8"))
	s.statusWarn = lipgloss.NewStyle().Foreground(c("3", "11")).Bold(true)
	s.statusErr = lipgloss.NewStyle().Foreground(c("1", "9")).Bold(true)
	return s
}
