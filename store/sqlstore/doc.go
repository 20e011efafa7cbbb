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
// SQLite admits one writer at a time, so for it (Dialect.OneWriter) the
// store queues its own writers in Go (writeGate) and sends them to a pool
// of one connection (NewSplit), while reads run on a pool of their own
// without waiting; statements are prepared once and reused
// (Dialect.Prepare), and most of the write-ahead log's checkpointing runs
// in the background (Dialect.Checkpoint). PostgreSQL needs none of this.
//
// Conventions of the schema:
//   - times are BIGINT unix microseconds (UTC); a nil *time.Time is NULL;
//   - maps, lists and small documents are JSON in TEXT columns;
//   - case-insensitive uniqueness and search use *_key columns filled with
//     iam.FoldKey in Go, never SQL lower(), which differs between databases;
//   - soft-deleted rows free their identifiers through partial unique
//     indexes (WHERE deleted_at IS NULL).
package sqlstore
