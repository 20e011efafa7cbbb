package testclock

import (
	"testing"
	"time"
)

func TestClockFollowsRealTimeUntilMoved(t *testing.T) {
	var c Clock
	before := time.Now().UTC().Add(-time.Second)
	if got := c.Now(); got.Before(before) || got.After(time.Now().UTC().Add(time.Second)) {
		t.Fatalf("unmoved clock %v is not real time", got)
	}
	c.Advance(time.Hour)
	first := c.Now()
	if first.Sub(before) < 59*time.Minute {
		t.Fatalf("advance by an hour gave %v", first)
	}
	time.Sleep(2 * time.Millisecond)
	if c.Now() != first {
		t.Fatal("a moved clock must stand still")
	}
	c.Advance(time.Minute)
	if c.Now().Sub(first) != time.Minute {
		t.Fatalf("second advance: %v", c.Now().Sub(first))
	}
}
