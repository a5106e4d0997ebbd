package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/config"
)

// command is one slash command.
type command struct {
	name, args, help string
	noArgs           bool // complete and send at once
	hidden           bool // accepted but not offered (aliases)
	run              func(m *Model, args string) tea.Cmd
}

// commandTable is the slash commands, in the order /help lists them. It is
// a function, not a variable, because /help reads it.
func commandTable() []command {
	return []command{
		{name: "help", help: "keys and commands", noArgs: true, run: (*Model).cmdHelp},
		{name: "model", args: "[NAME]", help: "switch model, keeping the conversation", run: (*Model).cmdModel},
		{name: "effort", args: "[low|medium|high|xhigh|max|auto]", help: "show thinking and effort, or set the effort level", run: (*Model).cmdEffort},
		{name: "cost", help: "tokens, cache savings and cost", noArgs: true, run: (*Model).cmdCost},
		{name: "agents", help: "agent types the model can start, their models and tools", noArgs: true, run: (*Model).cmdAgents},
		{name: "budget", args: "[AMOUNT|off]", help: "show or change the session's budget (--max-budget-usd)", run: (*Model).cmdBudget},
		{name: "status", help: "provider, region, credentials, models, caching", noArgs: true, run: (*Model).cmdStatus},
		{name: "clear", help: "start a new conversation", noArgs: true, run: (*Model).cmdClear},
		{name: "compact", help: "summarise the conversation to free context", noArgs: true, run: (*Model).cmdCompact},
		{name: "rewind", help: "go back to an earlier prompt: code, conversation or both", noArgs: true, run: (*Model).cmdRewind},
		{name: "resume", args: "[ID]", help: "continue an earlier session of this project", run: (*Model).cmdResume},
		{name: "permissions", args: "[add allow|ask|deny RULE | remove RULE]", help: "list, add or remove permission rules", run: (*Model).cmdPermissions},
		{name: "hooks", args: "[apply]", help: "list hooks with their source; apply a settings change", run: (*Model).cmdHooks},
		{name: "memory", help: "list the memory files in force; open one in $EDITOR", noArgs: true, run: (*Model).cmdMemory},
		{name: "output-style", args: "[NAME]", help: "choose how the model answers (from the next conversation)", run: (*Model).cmdOutputStyle},
		{name: "init", help: "ask the model to write a BASALT.md for this repository", noArgs: true, run: (*Model).cmdInit},
		{name: "sandbox", args: "[on|off]", help: "the OS sandbox for Bash: its policy; switch it on or off", run: (*Model).cmdSandbox},
		{name: "mcp", args: "[login NAME]", help: "MCP servers, their status and prompts; log in to one", run: (*Model).cmdMCP},
		{name: "doctor", help: "check configuration, credentials and models", noArgs: true, run: (*Model).cmdDoctor},
		{name: "login", help: "how authentication works on Bedrock", noArgs: true, run: (*Model).cmdLogin},
		{name: "logout", help: "how to switch AWS credentials", noArgs: true, run: (*Model).cmdLogin},
		{name: "exit", help: "leave basalt", noArgs: true, run: func(m *Model, _ string) tea.Cmd { return m.quit() }},
		{name: "quit", hidden: true, noArgs: true, run: func(m *Model, _ string) tea.Cmd { return m.quit() }},
	}
}

// command runs a slash command line.
func (m *Model) command(line string) tea.Cmd {
	name, args, _ := strings.Cut(strings.TrimPrefix(line, "/"), " ")
	args = strings.TrimSpace(args)
	if cmd, ok := m.mcpPromptCommand(line); ok {
		return cmd
	}
	for _, c := range commandTable() {
		if c.name == name {
			return c.run(m, args)
		}
	}
	if cmd, ok := m.customCommand(line); ok { // slashcmd.go
		return cmd
	}
	m.unknownCommand(name)
	return nil
}

// output shows a command's report.
func (m *Model) output(format string, args ...any) {
	m.push(&noticeEntry{text: fmt.Sprintf(format, args...), kind: noticePlain})
}

// busyRefusal stops a command that would change the session mid-turn.
func (m *Model) busyRefusal(name string) bool {
	if m.busy {
		m.notice(noticeWarn, "/%s waits for the turn to end: press esc to interrupt it", name)
		return true
	}
	return false
}

func (m *Model) cmdHelp(string) tea.Cmd {
	var b strings.Builder
	b.WriteString(m.st.bold.Render("Keys") + "\n")
	for _, k := range [][2]string{
		{"enter", "send (while the model works: queue)"},
		{"shift+enter, ctrl+j", "new line"},
		{"esc", "interrupt the model (the conversation is kept)"},
		{"esc esc", "on an empty input: rewind to an earlier prompt (/rewind)"},
		{"ctrl+c ctrl+c", "exit (one press clears the input or interrupts)"},
		{"shift+tab", "permission mode: default → acceptEdits → plan"},
		{"ctrl+z", "suspend to the shell (fg resumes)"},
		{"up, down", "earlier prompts (history is kept across sessions)"},
		{"ctrl+o", "show or hide thinking, full output and diffs"},
		{"tab (empty input)", "choose a tool call (up, down), enter shows it all"},
		{"pgup, pgdown", "scroll the conversation"},
		{"/", "commands; @ completes file paths; tab accepts"},
		{"# note", "remember the note in a memory file you pick"},
	} {
		fmt.Fprintf(&b, "  %-20s %s\n", k[0], k[1])
	}
	b.WriteString(m.st.bold.Render("Commands") + "\n")
	for _, c := range commandTable() {
		if c.hidden {
			continue
		}
		fmt.Fprintf(&b, "  %-14s %s\n", "/"+c.name, c.help)
	}
	m.helpCustom(&b)
	m.helpWeb(&b) // webhelp.go
	m.output("%s", strings.TrimRight(b.String(), "\n"))
	return nil
}

func (m *Model) cmdCost(string) tea.Cmd {
	i := m.info
	u := i.Usage
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", m.st.bold.Render("Cost of this session"))
	fmt.Fprintf(&b, "  input        %s uncached\n", thousands(u.InputTokens))
	fmt.Fprintf(&b, "  cache read   %s\n", thousands(u.CacheRead))
	fmt.Fprintf(&b, "  cache write  %s (5 min %s, 1 h %s)\n", thousands(u.CacheWrite()), thousands(u.CacheWrite5m), thousands(u.CacheWrite1h))
	fmt.Fprintf(&b, "  output       %s\n", thousands(u.OutputTokens))
	fmt.Fprintf(&b, "  cache hit    %.1f%% of input read from cache\n", 100*u.CacheHitRatio())
	fmt.Fprintf(&b, "  cost         %s", i.Cost)
	if i.Savings.Known && i.Savings.USD > 0 {
		fmt.Fprintf(&b, " (caching saved %s)", i.Savings)
	}
	if i.MaxBudgetUSD > 0 {
		fmt.Fprintf(&b, " of a $%.2f budget", i.MaxBudgetUSD)
	}
	if m.lastTurn.ok {
		t := m.lastTurn.usage
		fmt.Fprintf(&b, "\n  last turn    %s in (%s from cache), %s out: %s",
			thousands(t.TotalInput()), thousands(t.CacheRead), thousands(t.OutputTokens), m.lastTurn.cost)
	}
	m.costByAgent(&b)
	m.output("%s", b.String())
	return nil
}

// thousands writes 1234567 as 1,234,567.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// commandContext is the context of a command's work: the program's, so
// that quitting stops it, with a time limit.
func (m *Model) commandContext(limit time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := m.o.TurnContext()
	ctx, stop := context.WithTimeout(ctx, limit)
	return ctx, func() { stop(); cancel() }
}

func (m *Model) cmdStatus(string) tea.Cmd {
	b := m.b
	ctx, cancel := m.commandContext(20 * time.Second)
	return func() tea.Msg {
		defer cancel()
		var sb strings.Builder
		sb.WriteString("Status\n")
		for _, f := range b.Status(ctx) {
			// The backend redacts; this is the screen's own line of
			// defence, with the same rule.
			fmt.Fprintf(&sb, "  %-18s %s\n", f.Label, config.RedactText(f.Value))
		}
		return outputMsg{text: strings.TrimRight(sb.String(), "\n"), kind: noticePlain}
	}
}

func (m *Model) cmdDoctor(string) tea.Cmd {
	doctor := m.o.Doctor
	if doctor == nil {
		m.notice(noticeWarn, "`basalt doctor` is not available in this build yet; run it in a shell when it is.")
		return nil
	}
	m.notice(noticeInfo, "running the doctor's checks…")
	ctx, cancel := m.commandContext(time.Minute)
	return func() tea.Msg {
		defer cancel()
		return outputMsg{text: doctor(ctx), kind: noticePlain}
	}
}

func (m *Model) cmdLogin(string) tea.Cmd {
	if m.info.Provider != "bedrock" {
		m.output("basalt uses the Anthropic API key in ANTHROPIC_API_KEY; set another key and restart basalt to switch accounts.")
		return nil
	}
	m.output(`On Amazon Bedrock there is no basalt login: your AWS credentials authenticate every request.
To switch identity, change them and restart basalt (or /clear):
  AWS_PROFILE=other-profile basalt       use another profile of ~/.aws/config
  aws sso login --profile NAME           renew an IAM Identity Center (SSO) session
  AWS_BEARER_TOKEN_BEDROCK=…             a Bedrock API key instead of IAM credentials
"awsAuthRefresh" in settings runs a command (e.g. "aws sso login") when the
credentials expire; "awsCredentialExport" prints credentials for basalt to use.
/status shows the credentials in use.`)
	return nil
}

func (m *Model) cmdClear(string) tea.Cmd {
	if m.busyRefusal("clear") {
		return nil
	}
	return m.resetCmd("", "Started a new conversation.")
}

func (m *Model) resetCmd(id, notice string) tea.Cmd {
	b := m.b
	ctx, cancel := m.o.TurnContext()
	return func() tea.Msg {
		defer cancel()
		info, err := b.Reset(ctx, id)
		var hist []HistoryItem
		if err == nil && id != "" {
			hist = b.History()
		}
		return infoMsg{info: info, err: err, notice: notice, reset: err == nil, history: hist}
	}
}

func (m *Model) applyInfo(msg infoMsg) tea.Cmd {
	if msg.err != nil {
		m.notice(noticeError, "%s", errorText(msg.err))
		return nil
	}
	m.info = msg.info
	if msg.reset {
		var keep []entry
		if len(m.entries) > 0 {
			if w, ok := m.entries[0].(*welcomeEntry); ok {
				keep = []entry{w}
			}
		}
		m.entries, m.sel, m.scroll = keep, nil, 0
		m.lastTurn = turnTotals{}
		m.showHistory(msg.history, false)
	}
	for _, n := range msg.info.Notices {
		m.notice(noticeInfo, "%s", n)
	}
	if msg.notice != "" {
		m.notice(noticeInfo, "%s", msg.notice)
	}
	return nil
}

func (m *Model) cmdCompact(string) tea.Cmd {
	if m.busyRefusal("compact") {
		return nil
	}
	m.notice(noticeInfo, "Compacting the conversation…")
	b := m.b
	return m.begin(func(ctx context.Context, on func(agent.Event)) error { return b.Compact(ctx, on) })
}

func (m *Model) cmdModel(args string) tea.Cmd {
	if m.busyRefusal("model") {
		return nil
	}
	b := m.b
	if args != "" {
		return m.setModelCmd(args)
	}
	current := m.info.Model
	ctx, cancel := m.o.TurnContext()
	return func() tea.Msg {
		defer cancel()
		choices, err := b.Models(ctx)
		if err != nil && len(choices) == 0 {
			return pickerMsg{err: err}
		}
		p := &picker{title: "Model (now " + current + ")"}
		for _, c := range choices {
			p.items = append(p.items, pickItem{label: c.Name, detail: c.Detail, value: c.Name})
		}
		p.choose = func(it pickItem) tea.Cmd { return m.setModelCmd(it.value) }
		return pickerMsg{p: p, err: err}
	}
}

func (m *Model) setModelCmd(name string) tea.Cmd {
	b := m.b
	ctx, cancel := m.o.TurnContext()
	return func() tea.Msg {
		defer cancel()
		info, err := b.SetModel(ctx, name)
		return infoMsg{info: info, err: err, notice: fmt.Sprintf("Now using %s (%s); the conversation is kept.", info.Model, info.ModelID)}
	}
}

func (m *Model) cmdResume(args string) tea.Cmd {
	if m.busyRefusal("resume") {
		return nil
	}
	if args != "" {
		return m.resetCmd(args, "Resumed session "+args+".")
	}
	b, current := m.b, m.info.SessionID
	return func() tea.Msg {
		list, err := b.Sessions()
		if err != nil {
			return pickerMsg{err: err}
		}
		p := &picker{title: "Resume a session of this project"}
		for _, s := range list {
			// A session without a prompt has nothing to go on with, and
			// the one open here is already on screen.
			if s.Err != nil || s.Turns == 0 || s.ID == current {
				continue
			}
			label := s.Updated.Format("Jan 02 15:04") + "  " + s.FirstPrompt
			p.items = append(p.items, pickItem{label: label, detail: fmt.Sprintf("%s · %s", count(s.Turns, "turn"), s.Cost), value: s.ID})
		}
		p.choose = func(it pickItem) tea.Cmd { return m.resetCmd(it.value, "Resumed session "+it.value+".") }
		if len(p.items) == 0 {
			return outputMsg{text: "No earlier sessions in this project.", kind: noticeInfo}
		}
		return pickerMsg{p: p}
	}
}

func (m *Model) cmdInit(string) tea.Cmd {
	if m.busyRefusal("init") {
		return nil
	}
	return m.startTurn("/init", initPrompt)
}

const initPrompt = `Please analyse this repository and write a BASALT.md file at its root for future sessions of a coding agent working here. Include: what the project is; how to build, test, lint and run it (the exact commands, including how to run a single test); the architecture in brief (the main packages or modules and how they relate); and the conventions a contributor must follow that are not obvious from the code. Keep it short and specific to this repository: no generic advice, no lists of every file. If a BASALT.md, CLAUDE.md, AGENTS.md, README or similar already exists, build on what it says rather than repeating it, and improve an existing BASALT.md instead of replacing it.`
