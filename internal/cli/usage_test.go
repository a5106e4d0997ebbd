package cli

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/session"
)

func TestUsageFlags(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		want    usageOptions
		wantErr bool
	}{
		{"defaults", nil, usageOptions{By: "day"}, false},
		{"all", []string{"--since", "7d", "--by", "model", "--json"}, usageOptions{Since: "7d", By: "model", JSON: true}, false},
		{"bad grouping", []string{"--by", "week"}, usageOptions{}, true},
		{"arguments", []string{"extra"}, usageOptions{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			app, _, _ := testApp()
			var got *usageOptions
			cmd := newUsageCmd(app, func(_ context.Context, _ *App, o *usageOptions) error { got = o; return nil })
			cmd.SetArgs(tt.args)
			cmd.SilenceErrors, cmd.SilenceUsage = true, true
			err := cmd.Execute()
			if (err != nil) != tt.wantErr {
				t.Fatalf("Execute() error = %v, want error %v", err, tt.wantErr)
			}
			if tt.wantErr {
				return
			}
			got.Now = nil
			if diff := cmp.Diff(tt.want, *got, cmp.AllowUnexported(usageOptions{})); diff != "" {
				t.Errorf("options mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseSince(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 15, 10, 30, 0, 0, time.UTC)
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{in: "2026-03-01", want: time.Date(2026, 3, 1, 0, 0, 0, 0, time.Local)},
		{in: "2026-03-01T08:00:00Z", want: time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)},
		{in: "7d", want: now.AddDate(0, 0, -7)},
		{in: "2w", want: now.AddDate(0, 0, -14)},
		{in: "12h", want: now.Add(-12 * time.Hour)},
		{in: "90m", want: now.Add(-90 * time.Minute)},
		{in: "yesterday", wantErr: true},
		{in: "-3d", wantErr: true},
		{in: "d", wantErr: true},
		{in: "2026-13-01", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := parseSince(tt.in, now)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseSince(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			}
			if !got.Equal(tt.want) {
				t.Errorf("parseSince(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

// TestAggregateUsageUnknownCost checks that one unpriced call makes its
// group's and the total's cost unknown, never a partial sum.
func TestAggregateUsageUnknownCost(t *testing.T) {
	t.Parallel()
	day := time.Date(2026, 1, 10, 12, 0, 0, 0, time.Local)
	sessions := []session.Summary{{
		ID: "s1", ProjectRoot: "/p",
		Calls: []session.Call{
			{Time: day, Model: "m1", Usage: cost.Usage{InputTokens: 10, CacheRead: 30}, Cost: cost.Cost{USD: 0.5, Known: true}},
			{Time: day.Add(time.Minute), Model: "m2", Usage: cost.Usage{InputTokens: 5}, Cost: cost.Cost{USD: 0, Known: false}},
			{Time: day.AddDate(0, 0, -3), Model: "m1", Usage: cost.Usage{InputTokens: 1000}, Cost: cost.Cost{USD: 9, Known: true}},
		},
	}}
	rep := aggregateUsage(sessions, "model", day.Add(-time.Hour))
	type row struct {
		Key      string
		Calls    int
		Input    int
		Hit      float64
		Cost     *float64
		Unpriced int
	}
	var got []row
	for _, r := range append(rep.Groups, rep.Total) {
		got = append(got, row{r.Key, r.Calls, r.InputTokens, r.CacheHitRatio, r.CostUSD, r.UnpricedCalls})
	}
	half := 0.5
	want := []row{
		{"m1", 1, 10, 0.75, &half, 0},
		{"m2", 1, 5, 0, nil, 1},
		{"", 2, 15, 0.6667, nil, 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows mismatch (-want +got):\n%s", diff)
	}
}
