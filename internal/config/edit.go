package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/basalt-dev/basalt/internal/atomicfile"
)

// This file is the one way basalt changes a settings file (STYLE.md "One
// rule, one place"): /permissions, "don't ask again" and setup all edit
// through [SettingsFile]. An edit keeps every key it does not touch,
// keeps the old content as FILE.bak, and replaces the file atomically
// with mode 0600 (a settings file's env may hold credentials), creating
// its directory with mode 0700 when it is missing.

// Modes of what an edit writes.
const (
	settingsFileMode fs.FileMode = 0o600
	settingsDirMode  fs.FileMode = 0o700
)

// SettingsFile is a settings file read for editing: its top-level keys as
// written, and its bytes before the edit. The zero value is not usable;
// call [OpenSettings].
type SettingsFile struct {
	Path string
	old  []byte // nil when the file does not exist
	top  map[string]json.RawMessage
}

// OpenSettings reads the settings file at path for editing. A file that
// does not exist is an empty one. A file that is not a JSON object is
// left alone and reported with its line and column: an edit must never
// lose what the user wrote.
func OpenSettings(path string) (*SettingsFile, error) {
	old, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &SettingsFile{Path: path, top: map[string]json.RawMessage{}}, nil
	}
	if err != nil {
		return nil, err
	}
	f := &SettingsFile{Path: path, old: old, top: map[string]json.RawMessage{}}
	if len(bytes.TrimSpace(old)) == 0 {
		return f, nil
	}
	if err := json.Unmarshal(old, &f.top); err != nil {
		off := len(old)
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			off = int(se.Offset) - 1
		case errors.As(err, &te):
			off = int(te.Offset) - 1
		}
		line, col := lineCol(old, off)
		return nil, fmt.Errorf("%s:%d:%d: not a JSON object (%v): fix it, then try again", path, line, col, err)
	}
	return f, nil
}

// Exists reports whether the file existed when it was opened.
func (f *SettingsFile) Exists() bool { return f.old != nil }

// BackupPath is where Save keeps the old content: "" for a file that did
// not exist.
func (f *SettingsFile) BackupPath() string {
	if len(f.old) == 0 {
		return ""
	}
	return f.Path + ".bak"
}

// Get decodes the value of a top-level key into v, numbers as
// json.Number when v holds an interface, and reports whether the key is
// there.
func (f *SettingsFile) Get(key string, v any) (bool, error) {
	raw, ok := f.top[key]
	if !ok {
		return false, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return true, fmt.Errorf("%s: %q: %v", f.Path, key, err)
	}
	return true, nil
}

// Values decodes the whole file as it would be saved, numbers as
// json.Number, for showing it to the user before a Save.
func (f *SettingsFile) Values() map[string]any {
	out := make(map[string]any, len(f.top))
	for k := range f.top {
		var v any
		if _, err := f.Get(k, &v); err == nil {
			out[k] = v
		}
	}
	return out
}

// Set replaces the value of a top-level key.
func (f *SettingsFile) Set(key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("%s: %q: %w", f.Path, key, err)
	}
	f.top[key] = raw
	return nil
}

// Delete removes a top-level key.
func (f *SettingsFile) Delete(key string) { delete(f.top, key) }

// RuleKinds are the lists of "permissions" a rule can be in.
var RuleKinds = []string{"allow", "ask", "deny"}

// Rules are the rules of permissions.<kind> as written.
func (f *SettingsFile) Rules(kind string) ([]string, error) {
	perms, err := f.permissions(kind)
	if err != nil {
		return nil, err
	}
	var list []string
	if raw, ok := perms[kind]; ok {
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("%s: permissions.%s is not a list of rules: %v", f.Path, kind, err)
		}
	}
	return list, nil
}

func (f *SettingsFile) permissions(kind string) (map[string]json.RawMessage, error) {
	if !slices.Contains(RuleKinds, kind) {
		return nil, fmt.Errorf("permission rules of kind %q: want allow, ask or deny", kind)
	}
	perms := map[string]json.RawMessage{}
	if raw, ok := f.top["permissions"]; ok {
		if err := json.Unmarshal(raw, &perms); err != nil {
			return nil, fmt.Errorf("%s: permissions is not an object: %v", f.Path, err)
		}
	}
	return perms, nil
}

// EditRules adds rules to and removes rules from permissions.<kind>, and
// returns what it changed: a rule already there is not added twice, a
// rule not there is not removed. Nothing is written until Save.
func (f *SettingsFile) EditRules(kind string, add, remove []string) (added, removed []string, err error) {
	list, err := f.Rules(kind)
	if err != nil {
		return nil, nil, err
	}
	for _, r := range add {
		if !slices.Contains(list, r) {
			list = append(list, r)
			added = append(added, r)
		}
	}
	for _, r := range remove {
		if i := slices.Index(list, r); i >= 0 {
			list = slices.Delete(list, i, i+1)
			removed = append(removed, r)
		}
	}
	if len(added) == 0 && len(removed) == 0 {
		return nil, nil, nil
	}
	perms, err := f.permissions(kind)
	if err != nil {
		return nil, nil, err
	}
	if list == nil {
		list = []string{}
	}
	if perms[kind], err = json.Marshal(list); err != nil {
		return nil, nil, err
	}
	return added, removed, f.Set("permissions", perms)
}

// Save writes the file: the old content to BackupPath, then the new
// content atomically, both with mode 0600.
func (f *SettingsFile) Save() error {
	data, err := json.MarshalIndent(f.top, "", "  ")
	if err != nil {
		return fmt.Errorf("encode %s: %w", f.Path, err)
	}
	data = append(data, '\n')
	if err := os.MkdirAll(filepath.Dir(f.Path), settingsDirMode); err != nil {
		return err
	}
	if b := f.BackupPath(); b != "" {
		if err := atomicfile.Write(b, f.old, settingsFileMode); err != nil {
			return fmt.Errorf("back up %s: %w", f.Path, err)
		}
	}
	if err := atomicfile.Write(f.Path, data, settingsFileMode); err != nil {
		return fmt.Errorf("write %s: %w", f.Path, err)
	}
	f.old = data
	return nil
}

// EditRules changes permissions.<kind> of the settings file at path (see
// [SettingsFile.EditRules]) and saves it when something changed.
func EditRules(path, kind string, add, remove []string) (added, removed []string, err error) {
	f, err := OpenSettings(path)
	if err != nil {
		return nil, nil, err
	}
	if added, removed, err = f.EditRules(kind, add, remove); err != nil || len(added)+len(removed) == 0 {
		return nil, nil, err
	}
	return added, removed, f.Save()
}
