package sqlstore

import (
	"context"
	"errors"
	"testing"
	"time"

	"iamd/store"
)

func TestIsRead(t *testing.T) {
	for q, want := range map[string]bool{
		"SELECT 1":                        true,
		"\n\t  select id FROM t":          true,
		"UPDATE t SET a = 1 RETURNING id": false,
		"INSERT INTO t VALUES (1)":        false,
		"WITH x AS (SELECT 1) DELETE FROM t WHERE id IN (SELECT * FROM x)": false,
		"SAVEPOINT s": false,
		"SELEC":       false,
	} {
		if got := isRead(q); got != want {
			t.Errorf("isRead(%q) = %v, want %v", q, got, want)
		}
	}
}

// TestWriteGateGivesUp: a writer that never gets the slot fails like one
// that never gets SQLite's lock, and one whose context ends stops waiting.
func TestWriteGateGivesUp(t *testing.T) {
	g := newWriteGate(&Dialect{Name: "test", OneWriter: true, WriterWait: 50 * time.Millisecond})
	ctx := context.Background()
	if err := g.enter(ctx); err != nil {
		t.Fatal(err)
	}
	if err := g.enter(ctx); !errors.Is(err, store.ErrUnavailable) {
		t.Errorf("second writer: %v, want ErrUnavailable", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := g.enter(cancelled); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled writer: %v, want context.Canceled", err)
	}
	g.leave()
	if err := g.enter(ctx); err != nil {
		t.Errorf("writer after leave: %v", err)
	}
}
