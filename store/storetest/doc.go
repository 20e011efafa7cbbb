// Package storetest is the conformance suite every storage backend of iamd
// must pass. A backend's test calls Run with an opener that returns a fresh,
// migrated, empty store (and closes it through t.Cleanup):
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) store.Store { ... })
//	}
//
// The suite holds a backend to the contracts written on the ports in package
// store: uniqueness rules (case-insensitive where the port says so), soft
// deletion, paging, search and ordering, conditional updates that exactly one
// racing caller wins, transactions that commit or roll back as a whole
// (including the outbox), and realm isolation for every realm-scoped method.
// Each case opens its own store, so cases never see each other's data.
//
// Times are written truncated to microseconds in UTC and compared at that
// precision; nil and empty maps and slices compare equal.
package storetest
