package sqlstore

import (
	"database/sql"
	"strings"

	"iamd/store"
)

// Page bounds (store.Page): Limit 0 means defaultLimit, never more than
// maxLimit.
const (
	defaultLimit = 100
	maxLimit     = 1000
)

// window returns the LIMIT and OFFSET for p.
func window(p store.Page) (limit, offset int) {
	limit, offset = p.Limit, p.Offset
	if limit <= 0 {
		limit = defaultLimit
	}
	if limit > maxLimit {
		limit = maxLimit
	}
	if offset < 0 {
		offset = 0
	}
	return limit, offset
}

// pageSQL is the tail every paged list ends with; its arguments come from
// window.
const pageSQL = " LIMIT ? OFFSET ?"

// likePattern turns a search term into a LIKE pattern over folded key
// columns: the term is folded, its wildcards escaped (the statement says
// ESCAPE '\'), and it matches at the start only or anywhere.
func likePattern(term string, prefix bool) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	p := r.Replace(term) + "%"
	if !prefix {
		p = "%" + p
	}
	return p
}

// filter collects the optional conditions of a list query. Its text is
// appended after a WHERE that already names the realm, so it always
// starts with AND.
type filter struct {
	sql  strings.Builder
	args []any
}

func (f *filter) and(cond string, args ...any) {
	f.sql.WriteString(" AND ")
	f.sql.WriteString(cond)
	f.args = append(f.args, args...)
}

func (f *filter) String() string { return f.sql.String() }

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// collect reads every row with scan and closes rows. It never returns a nil
// slice, so an empty list encodes as [] rather than null.
func collect[T any](rows *sql.Rows, scan func(scanner) (*T, error)) ([]*T, error) {
	defer rows.Close()
	out := []*T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
