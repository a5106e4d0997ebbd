package config

import (
	"fmt"
	"github.com/basalt-dev/basalt/internal/editdist"
	"slices"
	"sort"
	"strings"
)

// A settings file written for Claude Code carries keys of features basalt
// does not have yet (a status line, plugins). Those are normal in a
// shared file: they are listed once, grouped, so that the one key that is
// really wrong (a misspelling that silently disables a setting) stands
// out with a "did you mean".

// basaltKeys are the keys basalt reads, top level and under permissions.
var (
	basaltKeys = []string{"env", "model", "awsAuthRefresh", "awsCredentialExport", "otelHeadersHelper", "permissions", "modelOverrides", "cleanupPeriodDays", "bashEnvironment", "outputStyle", "statusLine", "sandbox",
		// Read from Settings.Raw by internal/hooks.
		"hooks", "allowManagedHooksOnly", "disableAllHooks",
		// Read by the MCP configuration (mcp.go, mcppolicy.go).
		"enableAllProjectMcpServers", "enabledMcpjsonServers", "disabledMcpjsonServers", "allowedMcpServers", "deniedMcpServers",
		// Read from Settings.Raw by thinking.go and modelpolicy.go.
		"effortLevel", "alwaysThinkingEnabled", "availableModels", "enforceAvailableModels", "fallbackModel", "basaltGuardrailInputTags"}
	basaltPermissionKeys = []string{"allow", "ask", "deny", "defaultMode", "additionalDirectories", "disableBypassPermissionsMode"}
)

// claudeCodeKeys are the keys of Claude Code's settings reference (and
// a few it reads undocumented) that basalt does not implement. The list
// only chooses the words of a warning: an unlisted key still loads.
var claudeCodeKeys = []string{
	"advisorModel", "agent", "allowManagedMcpServersOnly",
	"allowManagedPermissionRulesOnly", "allowedHttpHookUrls",
	"apiKeyHelper", "attribution", "autoCompactEnabled",
	"autoConnectIde", "autoInstallIdeExtension", "autoMemoryDirectory", "autoMemoryEnabled",
	"autoUpdates", "autoUpdatesChannel", "awsCredentialProcess",
	"claudeMdExcludes", "companyAnnouncements",
	"editorMode",
	"enabledPlugins", "extraKnownMarketplaces",
	"fastMode", "feedbackSurveyRate", "fileSuggestion", "forceLoginMethod",
	"forceLoginOrgUUID", "hasCompletedOnboarding", "httpHookAllowedEnvVars",
	"includeCoAuthoredBy", "includeGitInstructions", "language", "mcpServers",
	"messageIdleNotifThresholdMs", "parallelTasksCount",
	"plansDirectory", "preferredNotifChannel", "prefersReducedMotion", "respectGitignore",
	"showThinkingSummaries", "showTurnDuration", "skipDangerousModePermissionPrompt",
	"skipWebFetchPreflight", "spinnerTipsEnabled", "spinnerTipsOverride", "spinnerVerbs",
	"strictKnownMarketplaces", "subagentModel", "teammateMode",
	"terminalProgressBarEnabled", "theme", "todoFeatureEnabled", "verbose", "voiceEnabled",
	// Seen in the corpus (testdata/corpus), newer than the reference page.
	"autoMode", "tui", "voice", "skipWorkflowUsageWarning", "syncClaudeAiSkills", "feedbackDrafts",
	"modelSettings", "askUserQuestionTimeout", "switchModelsOnFlag", "autoContinueAtUsageLimit",
	"inputNeededNotifEnabled", "agentPushNotifEnabled", "skipAutoPermissionPrompt", "vim", "showClearContextOnPlanAccept", "autoDreamEnabled",
}

// claudeCodePermissionKeys are Claude Code's keys under "permissions"
// that basalt does not implement.
var claudeCodePermissionKeys = []string{"disableAutoMode"}

// silentKeys are read by editors, not by any program: nothing to report.
var silentKeys = []string{"$schema"}

// cosmeticKeys are Claude Code keys that change only how its own screen
// looks or what it nags about, never what a session sends, runs or
// allows. basalt accepts them without a warning (issue 22: "UI keys are
// accepted silently"); config show still lists them among the ignored
// features, for whoever wonders.
var cosmeticKeys = []string{
	"theme", "skipDangerousModePermissionPrompt", "skipAutoPermissionPrompt",
	"hasCompletedOnboarding", "editorMode", "vim", "prefersReducedMotion",
	"spinnerTipsEnabled", "spinnerTipsOverride", "spinnerVerbs", "showTurnDuration",
	"showThinkingSummaries", "showClearContextOnPlanAccept", "terminalProgressBarEnabled",
	"feedbackSurveyRate", "feedbackDrafts", "autoUpdates", "autoUpdatesChannel",
	"autoConnectIde", "autoInstallIdeExtension", "preferredNotifChannel",
	"messageIdleNotifThresholdMs", "inputNeededNotifEnabled", "agentPushNotifEnabled",
	"skipWorkflowUsageWarning", "companyAnnouncements", "voiceEnabled", "voice", "tui",
}

// IgnoredKey is a Claude Code setting basalt does not implement, with the
// files that set it.
type IgnoredKey struct {
	Key   string   // dotted: "hooks", "permissions.disableAutoMode"
	Files []string // paths, lowest precedence first
}

// IsClaudeCodeKey reports whether the dotted key ("hooks",
// "permissions.disableAutoMode") names a Claude Code setting basalt does
// not have: a feature to list, not a mistake.
func IsClaudeCodeKey(key string) bool { return isClaudeCodeKey(key) }

// SuggestKey returns the known key (basalt's or Claude Code's) closest to
// a dotted key nobody knows, "" when none is close: "permisions" gives
// "permissions", "permissions.alow" gives "permissions.allow".
func SuggestKey(key string) string { return nearestKey(key) }

func isClaudeCodeKey(key string) bool {
	if sub, ok := strings.CutPrefix(key, "permissions."); ok {
		return slices.Contains(claudeCodePermissionKeys, sub)
	}
	if sub, ok := strings.CutPrefix(key, "sandbox."); ok {
		return slices.Contains(claudeCodeSandboxKeys, sub)
	}
	return slices.Contains(claudeCodeKeys, key)
}

// reportUnknownKeys sorts the unknown keys of the loaded files into
// Claude Code features (one grouped warning, and [Config].Ignored) and
// keys nobody knows (one warning each, with the nearest known key).
func (c *Config) reportUnknownKeys() {
	byKey := map[string]*IgnoredKey{}
	for _, f := range c.Files {
		if f.Status != StatusLoaded {
			continue
		}
		for _, k := range f.Settings.Unknown {
			switch {
			case slices.Contains(silentKeys, k):
			case isClaudeCodeKey(k):
				ik := byKey[k]
				if ik == nil {
					ik = &IgnoredKey{Key: k}
					byKey[k] = ik
				}
				ik.Files = append(ik.Files, f.Path)
			default:
				line := f.Settings.Lines[k]
				loc := f.Path
				if line > 0 {
					loc = fmt.Sprintf("%s:%d", f.Path, line)
				}
				if near := nearestKey(k); near != "" {
					c.warnf("%s: unknown key %q: did you mean %q? (as written it is ignored)", loc, k, near)
				} else {
					c.warnf("%s: unknown key %q, not a setting of basalt or Claude Code; it is ignored", loc, k)
				}
			}
		}
	}
	if len(byKey) == 0 {
		return
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		c.Ignored = append(c.Ignored, *byKey[k])
	}
	var told []string
	for _, k := range keys {
		if !slices.Contains(cosmeticKeys, k) {
			told = append(told, k)
		}
	}
	if len(told) > 0 {
		c.warnf("Claude Code features basalt ignores (not implemented yet; the rest of each file applies): %s", strings.Join(told, ", "))
	}
}

// nearestKey returns the known key (basalt's or Claude Code's) closest to
// a misspelt one, or "" when none is close. Case is ignored, so "Model"
// finds "model".
func nearestKey(key string) string {
	known, prefix, name := append(slices.Clone(basaltKeys), claudeCodeKeys...), "", key
	if sub, ok := strings.CutPrefix(key, "permissions."); ok {
		known, prefix, name = append(slices.Clone(basaltPermissionKeys), claudeCodePermissionKeys...), "permissions.", sub
	} else if sub, ok := strings.CutPrefix(key, "sandbox."); ok {
		known, prefix, name = append(slices.Clone(sandboxKeys), claudeCodeSandboxKeys...), "sandbox.", sub
	}
	best, bestD := "", 0
	for _, k := range known {
		d := editdist.Levenshtein(strings.ToLower(name), strings.ToLower(k))
		limit := max(1, min(3, len(k)/4))
		if d <= limit && (best == "" || d < bestD) {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return prefix + best
}
