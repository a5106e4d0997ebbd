package awsauth

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// OnRefresh learns of each refresh, successful or not, with its method.
func TestOnRefresh(t *testing.T) {
	t.Parallel()
	type call struct {
		method string
		err    error
	}
	var mu sync.Mutex
	var calls []call
	on := func(method string, took time.Duration, err error) {
		mu.Lock()
		calls = append(calls, call{method, err})
		mu.Unlock()
	}
	env := sandbox(t)
	a, _ := New(t.Context(), Options{Env: env, ExportCommand: "true", RefreshCommand: "true", OnRefresh: on})
	if err := a.Refresh(t.Context(), a.Generation()); err != nil {
		t.Fatal(err)
	}
	b, _ := New(t.Context(), Options{Env: env, Region: "us-east-1", RefreshCommand: "aws-sso-nope login", OnRefresh: on})
	_ = b.Refresh(t.Context(), b.Generation())
	c, _ := New(t.Context(), Options{Env: env, ExportCommand: "true", OnRefresh: on})
	_ = c.Refresh(t.Context(), c.Generation())
	mu.Lock()
	defer mu.Unlock()
	if len(calls) != 3 {
		t.Fatalf("calls = %v, want 3", calls)
	}
	if calls[0].method != "awsAuthRefresh" || calls[0].err != nil {
		t.Errorf("first = %+v", calls[0])
	}
	if calls[1].method != "awsAuthRefresh" || calls[1].err == nil || !strings.Contains(calls[1].err.Error(), "command not found") {
		t.Errorf("second = %+v", calls[1])
	}
	if calls[2].method != "reload" || calls[2].err != nil {
		t.Errorf("third = %+v", calls[2])
	}
}
