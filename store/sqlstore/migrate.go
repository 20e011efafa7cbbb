package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// migration is one versioned schema file.
type migration struct {
	version int64
	name    string
	sql     string
}

// migrations reads the dialect's NNNN_name.sql files in version order.
func (d *Dialect) migrations() ([]migration, error) {
	entries, err := fs.ReadDir(d.Migrations, ".")
	if err != nil {
		return nil, fmt.Errorf("sqlstore: reading %s migrations: %w", d.Name, err)
	}
	var out []migration
	seen := map[int64]string{}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || path.Ext(name) != ".sql" {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.ParseInt(num, 10, 64)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("sqlstore: migration %s: name must be NNNN_description.sql", name)
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("sqlstore: migrations %s and %s share version %d", other, name, v)
		}
		seen[v] = name
		b, err := fs.ReadFile(d.Migrations, name)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// Migrate applies the migrations not yet recorded in schema_migrations, all
// in one transaction. Concurrent migrators (several replicas starting at
// once) queue on the dialect's lock, so each file runs exactly once and a
// failed file leaves the schema as it was.
func (s *Store) Migrate(ctx context.Context) error {
	list, err := s.db.d.migrations()
	if err != nil {
		return err
	}
	// Without the statement cache: each migration runs once, and its
	// statements would only fill the cache.
	db := *s.db
	db.write = &pool{db: s.db.write.db}
	return runTx(ctx, &db, func(c *conn) error {
		if s.db.d.MigrationLock != "" {
			if _, err := c.exec(ctx, s.db.d.MigrationLock); err != nil {
				return fmt.Errorf("sqlstore: taking the migration lock: %w", err)
			}
		}
		if _, err := c.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version BIGINT PRIMARY KEY,
			applied_at BIGINT NOT NULL
		)`); err != nil {
			return fmt.Errorf("sqlstore: creating schema_migrations: %w", err)
		}
		applied, err := appliedVersions(ctx, c)
		if err != nil {
			return err
		}
		for _, m := range list {
			if applied[m.version] {
				continue
			}
			if _, err := c.exec(ctx, m.sql); err != nil {
				return fmt.Errorf("sqlstore: %s migration %s: %w", s.db.d.Name, m.name, err)
			}
			if _, err := c.exec(ctx, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
				m.version, micros(time.Now())); err != nil {
				return fmt.Errorf("sqlstore: recording migration %s: %w", m.name, err)
			}
		}
		return nil
	})
}

func appliedVersions(ctx context.Context, c *conn) (map[int64]bool, error) {
	out := map[int64]bool{}
	err := c.each(ctx, "SELECT version FROM schema_migrations", nil, func(rows *sql.Rows) error {
		for rows.Next() {
			var v int64
			if err := rows.Scan(&v); err != nil {
				return err
			}
			out[v] = true
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sqlstore: reading schema_migrations: %w", err)
	}
	return out, nil
}

// Version returns the newest applied migration, 0 for an empty database.
func (s *Store) Version(ctx context.Context) (int64, error) {
	var v *int64
	err := s.c.row(ctx, "SELECT MAX(version) FROM schema_migrations", nil, &v)
	if err != nil || v == nil {
		return 0, err
	}
	return *v, nil
}
