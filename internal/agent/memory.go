package agent

import (
	"encoding/json"
	"strings"

	"github.com/basalt-dev/basalt/internal/memory"
)

// touchTools are the tools whose file_path brings that file's memory
// in: the subdirectory CLAUDE.md files and path-scoped rules, loaded
// when the model first reads or changes a file they apply to.
var touchTools = map[string]bool{"Read": true, "Edit": true, "MultiEdit": true, "Write": true}

// lazyMemory returns the memory that the call's file brings in, as a
// system reminder to append to the call's result, or "". It goes in the
// tool result rather than the system prompt so the cached prefix stays
// as it was; and the transcript records it with the result, so a resumed
// session has it too.
func (s *Session) lazyMemory(call *ToolCall) string {
	if s.o.memory == nil || !touchTools[call.Name] {
		return ""
	}
	var in struct {
		FilePath string `json:"file_path"`
	}
	if json.Unmarshal(call.Input, &in) != nil || in.FilePath == "" {
		return ""
	}
	return memory.Reminder(s.o.memory.Touch(in.FilePath))
}

// memoryNotices queues what is wrong with the memory files (a missing
// import, a cycle, a bad rule) to show the user with the next answer.
func (s *Session) memoryNotices() {
	n := s.o.memory.Notices()
	if len(n) == 0 {
		return
	}
	for _, t := range n {
		s.o.Log.Warn("memory", "notice", t)
	}
	text := strings.Join(n, "\n")
	if s.resumeNotice != "" {
		text = s.resumeNotice + "\n" + text
	}
	s.resumeNotice = text
}

// Memory are the memory files sent to the model so far, imports and
// files loaded during the conversation included (/memory lists them).
func (s *Session) Memory() []memory.File { return s.o.memory.InForce() }
