// Package postgres opens the PostgreSQL backend of iamd (jackc/pgx through
// database/sql), for production and for several iamd replicas sharing one
// database.
//
// The connection URL is pgx's: any query parameter pgx does not know (for
// example search_path=tenant_a) is sent to the server as a run-time
// parameter. Migrations run in one transaction under an advisory lock, so
// replicas starting together migrate once.
package postgres
