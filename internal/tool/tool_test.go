package tool

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// inputTypes maps each tool to the struct its input decodes into.
var inputTypes = map[string]any{
	"Bash": bashInput{}, "BashOutput": bashOutputInput{}, "KillBash": killBashInput{},
	"Glob": globInput{}, "Grep": grepInput{}, "LS": lsInput{},
	"Read": readInput{}, "Edit": editInput{}, "MultiEdit": multiEditInput{}, "Write": writeInput{},
	"TodoWrite": todoWriteInput{}, "ExitPlanMode": exitPlanModeInput{},
	"NotebookEdit": notebookEditInput{},
}

func TestAll(t *testing.T) {
	t.Parallel()
	var names []string
	for _, tl := range All() {
		names = append(names, tl.Name())
	}
	want := []string{"Bash", "BashOutput", "KillBash", "Glob", "Grep", "LS", "ExitPlanMode", "Read", "Edit", "MultiEdit", "Write", "NotebookEdit", "TodoWrite"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("tools mismatch (-want +got):\n%s", diff)
	}
	readOnly := map[string]bool{"BashOutput": true, "Glob": true, "Grep": true, "LS": true, "Read": true, "TodoWrite": true, "ExitPlanMode": true}
	for _, tl := range All() {
		if tl.ReadOnly() != readOnly[tl.Name()] {
			t.Errorf("%s: ReadOnly = %v", tl.Name(), tl.ReadOnly())
		}
		if got, ok := ByName(tl.Name()); !ok || got.Name() != tl.Name() {
			t.Errorf("ByName(%s) = %v, %v", tl.Name(), got, ok)
		}
	}
	if _, ok := ByName("Task"); ok {
		t.Error("ByName(Task) found a tool")
	}
}

// The schema sent to the model must describe exactly the fields Run
// decodes, with the right JSON types.
func TestInputSchemas(t *testing.T) {
	t.Parallel()
	for _, tl := range All() {
		var schema struct {
			Type                 string                     `json:"type"`
			Properties           map[string]json.RawMessage `json:"properties"`
			Required             []string                   `json:"required"`
			AdditionalProperties *bool                      `json:"additionalProperties"`
		}
		if err := json.Unmarshal(tl.InputSchema(), &schema); err != nil {
			t.Errorf("%s: schema is not valid JSON: %v", tl.Name(), err)
			continue
		}
		if schema.Type != "object" || schema.AdditionalProperties == nil || *schema.AdditionalProperties {
			t.Errorf("%s: schema must be a closed object", tl.Name())
		}
		fields := map[string]reflect.Type{}
		collectFields(reflect.TypeOf(inputTypes[tl.Name()]), fields)
		var props []string
		for name, raw := range schema.Properties {
			props = append(props, name)
			var p struct {
				Type string `json:"type"`
			}
			json.Unmarshal(raw, &p)
			ft, ok := fields[name]
			if !ok {
				continue
			}
			if want := jsonType(ft); p.Type != want && !(want == "integer" && p.Type == "number") {
				t.Errorf("%s.%s: schema type %q, Go type %v", tl.Name(), name, p.Type, ft)
			}
		}
		var goFields []string
		for name := range fields {
			goFields = append(goFields, name)
		}
		slices.Sort(props)
		slices.Sort(goFields)
		if diff := cmp.Diff(goFields, props); diff != "" {
			t.Errorf("%s: schema properties differ from the input struct (-struct +schema):\n%s", tl.Name(), diff)
		}
		for _, r := range schema.Required {
			if !slices.Contains(props, r) {
				t.Errorf("%s: required %q is not a property", tl.Name(), r)
			}
		}
	}
}

func collectFields(t reflect.Type, out map[string]reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			collectFields(f.Type, out)
			continue
		}
		out[name] = f.Type
	}
}

func jsonType(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int64:
		return "integer"
	case reflect.Slice:
		return "array"
	}
	return "object"
}

func TestDescriptions(t *testing.T) {
	t.Parallel()
	for _, tl := range All() {
		d := tl.Description()
		if len(d) < 100 || !strings.HasSuffix(d, "\n") {
			t.Errorf("%s: description too short or not a whole file: %q", tl.Name(), d)
		}
		// Every input field is explained.
		var schema struct {
			Properties map[string]json.RawMessage `json:"properties"`
		}
		json.Unmarshal(tl.InputSchema(), &schema)
		for name := range schema.Properties {
			if !strings.Contains(d, "`"+name+"`") {
				t.Errorf("%s: description does not mention `%s`", tl.Name(), name)
			}
		}
	}
	// The limits the code enforces are the ones the descriptions state.
	for tool, facts := range map[string][]string{
		"Read": {"2000 lines", "2000 characters"},
		"Bash": {"30000 characters", "120000", "600000"},
		"Glob": {"100 paths"},
		"LS":   {"1000 entries"},
	} {
		tl, _ := ByName(tool)
		for _, f := range facts {
			if !strings.Contains(tl.Description(), f) {
				t.Errorf("%s: description does not state %q", tool, f)
			}
		}
	}
	if readDefaultLimit != 2000 || readMaxLineLen != 2000 || maxCommandOutput != 30000 || globMaxResults != 100 || lsMaxEntries != 1000 ||
		bashDefaultTimeout.Milliseconds() != 120000 || bashMaxTimeout.Milliseconds() != 600000 {
		t.Error("a limit changed: update the descriptions and this test")
	}
}
