// Package webfetch fetches one web page for the WebFetch tool: it refuses
// addresses inside the user's network unless a rule names the host, dials
// exactly the address it checked (so a DNS answer that changes between the
// check and the connection cannot move the request), follows redirects only
// on the same host, bounds the body and the time, turns HTML into Markdown
// and keeps pages for 15 minutes.
//
// It knows nothing of tools, permissions or models: the tool asks the
// permission checker which hosts are named by an allow rule and hands
// that answer in ([Options.HostNamed]).
package webfetch
