package storetest

import (
	"testing"

	"iamd/store"
)

var lifecycleCases = []testCase{
	{"Ping", func(t *testing.T, s store.Store) {
		ok(t, s.Ping(t.Context()), "ping an open store")
	}},
	{"MigrateIsIdempotent", func(t *testing.T, s store.Store) {
		r := mkRealm(t, s, "acme")
		u := mkUser(t, s, r.ID, "alice")
		ok(t, s.Migrate(t.Context()), "migrate a migrated store again")
		ok(t, s.Migrate(t.Context()), "migrate a third time")
		got, err := s.Realm(r.ID).Users().Get(t.Context(), u.ID)
		ok(t, err, "get user after migrate")
		same(t, "user after migrate", u, got)
	}},
}
