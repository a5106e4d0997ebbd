// Package trust keeps the user's decisions about which folders' risky
// project settings may apply (DESIGN.md §9): credential commands,
// endpoints, proxies, AWS variables, permission grants, and later hooks
// and MCP servers. A decision is keyed by the folder's real path
// (symlinks resolved) and the fingerprint of those settings that
// internal/config computes, so a change to any of them makes the folder
// untrusted again. The store is one JSON file in the user's state
// directory, written atomically with mode 0600.
//
// It must not decide permissions for tool calls: that is
// internal/permission's job. It does not classify settings either: that
// is internal/config's.
package trust
