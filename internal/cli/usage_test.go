package cli

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
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
		{"exports", []string{"--by", "team", "a.json", "b.json"}, usageOptions{By: "team", Files: []string{"a.json", "b.json"}}, false},
		{"html", []string{"--html", "--out", "r.html", "--no-open"}, usageOptions{By: "day", HTML: true, Out: "r.html", NoOpen: true}, false},
		{"json and html", []string{"--json", "--html"}, usageOptions{}, true},
		{"out without html", []string{"--out", "r.html"}, usageOptions{}, true},
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
