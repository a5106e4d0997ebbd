package config

import "strings"

// SourceKind is the first word of a [Source]: what kind of place a value
// came from.
type SourceKind string

// The kinds of [Source]. Their spelling is part of the "config show --json"
// contract.
const (
	SourceDefault  SourceKind = "default"
	SourceEnv      SourceKind = "env"
	SourceFlag     SourceKind = "flag"
	SourceUser     SourceKind = "user"
	SourceProject  SourceKind = "project"
	SourceLocal    SourceKind = "local"
	SourceSettings SourceKind = "settings" // --settings FILE
	SourceManaged  SourceKind = "managed"
	SourceProfile  SourceKind = "profile" // an AWS shared-config profile
)

// Source says where a value came from: "env AWS_REGION",
// "project /repo/.claude/settings.json", "flag --model".
// Detail narrows it further, e.g. which key of the file's env map.
type Source struct {
	Kind   SourceKind
	Name   string // variable, flag, file path or profile name
	Detail string // e.g. "env.AWS_REGION" inside a settings file
}

func (s Source) String() string {
	var b strings.Builder
	b.WriteString(string(s.Kind))
	if s.Name != "" {
		b.WriteString(" ")
		b.WriteString(s.Name)
	}
	if s.Detail != "" {
		b.WriteString(" (")
		b.WriteString(s.Detail)
		b.WriteString(")")
	}
	return b.String()
}

// Value is a resolved setting and where it came from.
type Value[T any] struct {
	Value  T
	Source Source
	Set    bool // false when Value is the zero value and no source set it
}

func defaultValue[T any](v T) Value[T] {
	return Value[T]{Value: v, Source: Source{Kind: SourceDefault}}
}
