// Package store defines the storage ports of iamd: one Store with realm-scoped
// handles, transactions, and the two sentinel errors every backend returns.
//
// Realm isolation is structural: every realm-owned record is reached through
// Store.Realm(realmID), and a backend adds the realm condition in one place.
// A record of realm A looked up, listed, updated or deleted through realm B's
// handle is ErrNotFound. The conformance suite in store/storetest holds every
// backend to these contracts.
package store
