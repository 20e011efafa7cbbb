package sqlite_test

import (
	"path/filepath"
	"testing"

	"iamd/store"
	"iamd/store/sqlstore/sqlite"
	"iamd/store/storetest"
)

// TestConformance runs the storage conformance suite against SQLite, each
// case on a new database file.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "iamd.db"))
		if err != nil {
			t.Fatalf("open sqlite store: %v", err)
		}
		t.Cleanup(func() {
			if err := s.Close(); err != nil {
				t.Errorf("close sqlite store: %v", err)
			}
		})
		return s
	})
}
