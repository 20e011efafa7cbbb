package postgres_test

import (
	"testing"

	"iamd/store"
	"iamd/store/sqlstore/postgres/pgtest"
	"iamd/store/storetest"
)

// TestConformance runs the storage conformance suite against the
// PostgreSQL server at IAMD_TEST_POSTGRES_URL, each case in a new schema
// that is dropped afterwards (see pgtest).
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return pgtest.Open(t) })
}
