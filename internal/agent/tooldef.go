package agent

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"unicode/utf8"
)

// toolDefinition writes one tool's API definition,
//
//	{"input_schema":{"properties":…,"required":[…],"type":"object",…},"name":…,"description":…}
//
// byte for byte as the SDK's encoder writes an anthropic.ToolParam holding
// the schema (TestToolParamsEncodeOnce compares them), but without it:
// in a one-shot `basalt -p` the SDK's reflection over its parameter types
// and the schema maps cost 2.5–3 ms before the first request, and this
// costs a tenth of that. Two deliberate differences: the schema's other
// keys ($schema, additionalProperties, $defs, …) come in sorted order,
// where the SDK writes them in map order, so an MCP tool's definition is
// the same bytes in every process and a resumed session reads the cache;
// and numbers are written as encoding/json writes a float64, as before.
func toolDefinition(name, description string, inputSchema json.RawMessage) ([]byte, error) {
	var schema map[string]any
	if err := json.Unmarshal(inputSchema, &schema); err != nil {
		return nil, fmt.Errorf("tool %s: input schema: %w", name, err)
	}
	b := make([]byte, 0, len(inputSchema)+len(description)+64)
	b = append(b, `{"input_schema":{`...)
	if p := schema["properties"]; p != nil {
		b = append(b, `"properties":`...)
		b = appendJSON(b, p)
		b = append(b, ',')
	}
	if req, ok := schema["required"].([]any); ok {
		n := 0
		for _, r := range req {
			if s, ok := r.(string); ok {
				if n == 0 {
					b = append(b, `"required":[`...)
				} else {
					b = append(b, ',')
				}
				b = appendJSONString(b, s)
				n++
			}
		}
		if n > 0 {
			b = append(b, "],"...)
		}
	}
	b = append(b, `"type":"object"`...)
	keys := make([]string, 0, len(schema))
	for k := range schema {
		if k != "properties" && k != "required" && k != "type" {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		b = append(b, ',')
		b = appendJSONString(b, k)
		b = append(b, ':')
		b = appendJSON(b, schema[k])
	}
	b = append(b, `},"name":`...)
	b = appendJSONString(b, name)
	b = append(b, `,"description":`...)
	b = appendJSONString(b, description)
	return append(b, '}'), nil
}

// appendJSON writes a value decoded by encoding/json into an any as
// encoding/json writes it back: object keys sorted, HTML-safe strings.
func appendJSON(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case bool:
		return strconv.AppendBool(b, v)
	case float64:
		return appendJSONFloat(b, v)
	case string:
		return appendJSONString(b, v)
	case []any:
		b = append(b, '[')
		for i, e := range v {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSON(b, e)
		}
		return append(b, ']')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = appendJSON(b, v[k])
		}
		return append(b, '}')
	}
	// Unreachable for what json.Unmarshal produces; kept correct anyway.
	raw, _ := json.Marshal(v)
	return append(b, raw...)
}

// appendJSONFloat writes f the way encoding/json writes a float64: the
// shortest form that reads back the same, in exponent notation only
// below 1e-6 or from 1e21, with a one-digit negative exponent unpadded.
func appendJSONFloat(b []byte, f float64) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return append(b, "null"...) // not produced by json.Unmarshal
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendJSONString writes s as a JSON string the way encoding/json does
// by default: <, > and & escaped for HTML, U+2028 and U+2029 escaped for
// JavaScript, invalid UTF-8 replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
