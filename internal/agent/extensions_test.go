package agent

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/outputstyle"
	"github.com/basalt-dev/basalt/internal/permission"
)

// TestStyledIdentity: the default style (nil) leaves the identity alone;
// a style that drops the coding instructions keeps only the
// introduction; any other style loses the push for short answers.
func TestStyledIdentity(t *testing.T) {
	t.Parallel()
	if got := styledIdentity(identity, nil); got != identity {
		t.Error("the default style changed the identity")
	}
	custom := styledIdentity(identity, &outputstyle.Adjustment{})
	if strings.Contains(custom, "How to work") || !strings.HasPrefix(custom, "You are basalt") {
		t.Errorf("a style without coding instructions kept them:\n%s", custom)
	}
	builtin := styledIdentity(identity, &outputstyle.Adjustment{KeepCodingInstructions: true})
	if !strings.Contains(builtin, "How to work") || strings.Contains(builtin, "Be concise") {
		t.Errorf("a style keeping coding instructions: want them, without the conciseness push:\n%s", builtin)
	}
}

// TestSystemPromptStyleSection: a style's section is the last block of
// the system prompt, after the environment.
func TestSystemPromptStyleSection(t *testing.T) {
	t.Parallel()
	o := &Options{WorkDir: t.TempDir(), GitStatus: func() string { return "" }, Now: time.Now,
		Extensions: Extensions{Style: &outputstyle.Adjustment{Section: "# Output Style: Pirate\nArr.\n"}}}
	blocks := systemPrompt(t.Context(), o)
	if last := blocks[len(blocks)-1]; last != "# Output Style: Pirate\nArr.\n" {
		t.Errorf("last block = %q, want the style section", last)
	}
	if strings.Contains(blocks[0], "How to work") {
		t.Error("a custom style kept the coding instructions")
	}
}

// TestSkillListingPlacement: the listing goes before the first prompt of
// a conversation, after a command's attachment reminders, and only once.
func TestSkillListingPlacement(t *testing.T) {
	t.Parallel()
	s := &Session{o: Options{Extensions: Extensions{SkillListing: "The following skills are available for use with the Skill tool:\n\n- greet: hi\n"}}}
	prompt := []anthropic.ContentBlockParamUnion{
		anthropic.NewTextBlock("<system-reminder>\nCalled the Read tool\n</system-reminder>"),
		anthropic.NewTextBlock("<command-message>x</command-message>"),
	}
	got := s.withSkillListing(prompt)
	if len(got) != 3 || !strings.Contains(got[1].OfText.Text, "- greet: hi") || !strings.HasPrefix(got[1].OfText.Text, "<system-reminder>\n") {
		t.Fatalf("blocks = %+v, want the listing second", got)
	}
	s.messages = append(s.messages, anthropic.NewUserMessage(got...))
	if again := s.withSkillListing(prompt); len(again) != 2 {
		t.Errorf("the listing was sent again: %d blocks", len(again))
	}
}

// TestGrantLastsOneRun: a command's allowed-tools allow its calls until
// the run ends, then the session's rules are as before.
func TestGrantLastsOneRun(t *testing.T) {
	t.Parallel()
	checker, err := permission.New(permission.Options{ProjectRoot: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	s := &Session{o: Options{Permissions: checker}}
	req := permission.Request{Tool: "Bash", Input: json.RawMessage(`{"command":"touch x"}`)}
	if d := checker.Decide(req); d.Behavior == permission.Allow {
		t.Fatalf("allowed before the grant: %s", d.Reason)
	}
	if n := s.Grant("review.md", []string{"Bash(touch:*)", "Bash("}, ""); len(n) != 1 || !strings.Contains(n[0], "review.md") {
		t.Errorf("notices = %q, want one naming the file for the bad rule", n)
	}
	if d := checker.Decide(req); d.Behavior != permission.Allow {
		t.Fatalf("not allowed during the grant: %s", d.Reason)
	}
	s.endGrants()
	if d := checker.Decide(req); d.Behavior == permission.Allow {
		t.Errorf("still allowed after the run: %s", d.Reason)
	}
}

// TestAfterCompaction: a compaction keeps the listing and reminds the
// model of a non-default style; with neither, it adds nothing.
func TestAfterCompaction(t *testing.T) {
	t.Parallel()
	if got := (&Session{}).afterCompaction(); len(got) != 0 {
		t.Errorf("no extensions: %d blocks", len(got))
	}
	s := &Session{o: Options{Extensions: Extensions{SkillListing: "- greet: hi\n", Style: &outputstyle.Adjustment{Reminder: "The Pirate output style is active."}}}}
	got := s.afterCompaction()
	if len(got) != 2 || !strings.Contains(got[0].OfText.Text, "- greet: hi") || !strings.Contains(got[1].OfText.Text, "Pirate output style") {
		t.Errorf("blocks = %+v, want the listing and the style reminder", got)
	}
}
