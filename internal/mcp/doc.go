// Package mcp owns the session's MCP client connections (stdio,
// streamable HTTP, legacy SSE, through the official Go SDK) and their
// life: servers start in parallel in the background, a failed or dead
// one is reported once and connected again on its next use, and every
// child process dies with the session. It turns the servers' tools into
// basalt tools named mcp__SERVER__TOOL, their resources into the
// ListMcpResources and ReadMcpResource tools and @server:uri
// attachments, and their prompts into slash commands.
//
// It must not know about the TUI: frontends read [Manager.Statuses] and
// [Manager.Events].
package mcp
