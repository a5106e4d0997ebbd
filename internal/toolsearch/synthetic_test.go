package toolsearch

import (
	"encoding/json"
	"fmt"
	"strings"
)

// synthetic builds servers×perServer MCP-like tool definitions with
// realistic names, descriptions and schemas (four or five properties
// with descriptions, as popular servers publish them). Deterministic.
func synthetic(servers, perServer int) []Def {
	services := []string{"github", "slack", "linear", "jira", "postgres", "filesystem", "sentry", "notion", "figma", "stripe", "gmail", "calendar", "drive", "docker", "kubernetes", "datadog", "pagerduty", "confluence", "s3", "redis"}
	verbs := []string{"create", "get", "list", "update", "delete", "search", "read", "send", "add", "remove", "archive", "comment", "assign", "close", "merge", "query", "export", "upload", "download", "watch"}
	objects := []string{"issue", "message", "channel", "file", "pullRequest", "comment", "user", "project", "table", "record", "event", "page", "document", "dashboard", "alert", "incident", "bucket", "key", "container", "pod"}
	var defs []Def
	for s := range servers {
		svc := services[s%len(services)]
		if s >= len(services) {
			svc = fmt.Sprintf("%s%d", svc, s/len(services))
		}
		for i := range perServer {
			verb := verbs[(i+s)%len(verbs)]
			obj := objects[(i*7+s*3)%len(objects)]
			if i >= len(verbs) {
				obj = fmt.Sprintf("%s%d", obj, i/len(verbs))
			}
			name := fmt.Sprintf("mcp__%s__%s_%s", svc, verb, toSnake(obj))
			desc := fmt.Sprintf("%s a %s in %s. Use this when the user asks to %s %ss; "+
				"returns the %s as JSON with its id, title, author, timestamps and URL. "+
				"Requires access to the %s workspace configured for this server.",
				strings.ToUpper(verb[:1])+verb[1:], obj, svc, verb, obj, obj, svc)
			schema := map[string]any{
				"type": "object",
				"properties": map[string]any{
					"workspace": map[string]any{"type": "string", "description": "The " + svc + " workspace or organization to act in"},
					"id":        map[string]any{"type": "string", "description": "Identifier of the " + obj},
					"title":     map[string]any{"type": "string", "description": "Title or subject of the " + obj},
					"body":      map[string]any{"type": "string", "description": "Text content, in Markdown where the service supports it"},
					"limit":     map[string]any{"type": "integer", "minimum": 1, "maximum": 100, "description": "Most results to return"},
				},
				"required":             []string{"workspace"},
				"additionalProperties": false,
			}
			raw, _ := json.Marshal(schema)
			defs = append(defs, Def{Name: name, Description: desc, Schema: raw})
		}
	}
	return defs
}

func toSnake(s string) string {
	var sb strings.Builder
	for i, r := range s {
		if r >= 'A' && r <= 'Z' {
			if i > 0 {
				sb.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		sb.WriteRune(r)
	}
	return sb.String()
}
