// Package sqlstore implements the storage ports of package store on
// database/sql. One implementation serves every SQL backend; what differs
// between databases (placeholders, error codes, row locking, migration
// locking, the schema itself) is a Dialect value supplied by a subpackage:
// sqlite (the embedded default) and postgres (production, several replicas).
//
// Realm isolation lives in one place. Every statement a realm-scoped
// repository runs goes through scope, which substitutes the token :realm with
// a bound parameter holding the realm id and refuses a statement that does
// not mention it. Realm-owned tables also carry composite foreign keys
// (realm_id, x_id), so a row can never point at a user, role, app, group or
// organization of another realm: such a write fails with store.ErrNotFound.
//
// Conventions of the schema:
//   - times are BIGINT unix microseconds (UTC); a nil *time.Time is NULL;
//   - maps, lists and small documents are JSON in TEXT columns;
//   - case-insensitive uniqueness and search use *_key columns filled with
//     iam.FoldKey in Go, never SQL lower(), which differs between databases;
//   - soft-deleted rows free their identifiers through partial unique
//     indexes (WHERE deleted_at IS NULL).
package sqlstore
