// Package sqlite opens the embedded SQLite backend of iamd (pure Go,
// modernc.org/sqlite): the default, which keeps everything in one file
// under the data directory.
//
// Each connection runs in WAL mode (readers never block the writer), waits
// up to ten seconds for a lock instead of failing, enforces foreign keys
// (they carry the realm isolation and the cascading deletes), and begins
// every transaction IMMEDIATE, taking the write lock up front: two write
// transactions then queue instead of one failing with SQLITE_BUSY when it
// tries to upgrade a read lock.
package sqlite
