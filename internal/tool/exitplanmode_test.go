package tool

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestExitPlanMode(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, input string
		isErr       bool
		want        string
	}{
		{"plan", `{"plan":"1. fix add\n2. run the tests"}`, false, "approved"},
		{"empty", `{"plan":"  "}`, true, "plan is empty"},
		{"unknown field", `{"plan":"x","steps":[]}`, true, "steps"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := ExitPlanMode{}.Run(t.Context(), nil, json.RawMessage(tc.input))
			if err != nil {
				t.Fatal(err)
			}
			if r.IsError != tc.isErr || !strings.Contains(r.Content, tc.want) {
				t.Errorf("result %+v, want error %v containing %q", r, tc.isErr, tc.want)
			}
			if !tc.isErr {
				if d, ok := r.Display.(*PlanDisplay); !ok || !strings.Contains(d.Plan, "run the tests") {
					t.Errorf("display %#v, want the plan", r.Display)
				}
			}
		})
	}
}
