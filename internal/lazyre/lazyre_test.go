package lazyre

import (
	"sync"
	"testing"
)

func TestNewCompilesOnce(t *testing.T) {
	re := New(`^a+$`)
	var wg sync.WaitGroup
	got := make([]any, 8)
	for i := range got {
		wg.Go(func() { got[i] = re() })
	}
	wg.Wait()
	for _, g := range got {
		if g != got[0] {
			t.Fatal("concurrent first calls compiled more than one Regexp")
		}
	}
	if !re().MatchString("aaa") || re().MatchString("b") {
		t.Fatal("the compiled expression does not match as written")
	}
}

func TestNewPanicsOnFirstUseOfABadPattern(t *testing.T) {
	re := New(`(`) // no panic here: nothing is compiled yet
	defer func() {
		if recover() == nil {
			t.Fatal("a bad pattern did not panic at first use")
		}
	}()
	re()
}
