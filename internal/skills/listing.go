package skills

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/basalt-dev/basalt/internal/slashcmd"
)

// Budget bounds the listing of skills and commands the model sees on
// every turn, in characters of the listing's text.
//
// DefaultBudget is 8,000 characters (about 2,000 tokens): room for some
// forty entries with a sentence each, while a repository with hundreds of
// skills cannot crowd out the conversation. Claude Code documents the
// same kind of cap and an environment variable to move it,
// SLASH_COMMAND_TOOL_CHAR_BUDGET; basalt reads the same variable
// ([BudgetFromEnv]). One entry's description (with when_to_use) is cut at
// MaxEntryDescription characters, the cap Claude Code documents for it.
const (
	DefaultBudget       = 8000
	MaxEntryDescription = 1536
	BudgetEnv           = "SLASH_COMMAND_TOOL_CHAR_BUDGET"
	// listingHeader is the sentence Claude Code 2.1.197 opens its listing
	// with (testdata/claude-code/facts.json): the Skill tool's description
	// tells the model to look for it.
	listingHeader = "The following skills are available for use with the Skill tool:"
)

// BudgetFromEnv returns the listing budget from SLASH_COMMAND_TOOL_CHAR_BUDGET,
// or DefaultBudget when it is unset. A value that is not a positive
// integer is an error naming it, and the default is returned with it.
func BudgetFromEnv(getenv func(string) string) (int, error) {
	v := strings.TrimSpace(getenv(BudgetEnv))
	if v == "" {
		return DefaultBudget, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return DefaultBudget, fmt.Errorf("%s=%q is not a positive number of characters; using %d", BudgetEnv, v, DefaultBudget)
	}
	return n, nil
}

// Listing writes what the model is told about the entries it may invoke
// (set.ModelInvocable(): skills first, then commands), one
// "- name: description" line each, within budget characters. Entries are
// kept in order; when the next one does not fit whole, its description is
// shortened to fit, and the entries after the budget is spent are counted
// in omitted and named in a closing line, so the model knows more exist
// and the user can see why one was not offered. An empty set gives "".
func Listing(set *slashcmd.Set, budget int) (text string, omitted int) {
	entries := set.ModelInvocable()
	if len(entries) == 0 {
		return "", 0
	}
	var b strings.Builder
	b.WriteString(listingHeader + "\n\n")
	for i, c := range entries {
		desc := entryDescription(c)
		line := "- " + c.Name + ": " + desc + "\n"
		room := budget - b.Len()
		if len(line) > room {
			// Shorten this one to fit when a useful part of it does.
			keep := room - len("- "+c.Name+": …\n")
			if keep >= 40 {
				b.WriteString("- " + c.Name + ": " + cut(desc, keep) + "…\n")
				i++
			}
			omitted = len(entries) - i
			if omitted > 0 {
				fmt.Fprintf(&b, "(%d more not listed: the listing is limited to %d characters)\n", omitted, budget)
			}
			break
		}
		b.WriteString(line)
	}
	return b.String(), omitted
}

// entryDescription is the description and when_to_use joined as Claude
// Code lists them, on one line, within MaxEntryDescription.
func entryDescription(c *slashcmd.Command) string {
	d := c.Description
	if c.WhenToUse != "" {
		d += " - " + c.WhenToUse
	}
	d = strings.Join(strings.Fields(d), " ")
	if len(d) > MaxEntryDescription {
		d = cut(d, MaxEntryDescription-len("…")) + "…"
	}
	return d
}

// cut shortens s to at most n bytes without splitting a character.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n]
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
