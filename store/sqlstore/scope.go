package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"iamd/store"
)

// realmToken is how a realm-scoped statement names its realm. scope binds
// it to the realm id as a parameter and rejects a statement without it, so
// no query of a realm-owned table can forget the realm condition.
const realmToken = ":realm"

var errNoRealm = errors.New("sqlstore: realm-scoped statement without " + realmToken)

// scope is the handle of one realm; it implements store.Scope.
type scope struct {
	c     *conn
	realm string
}

var _ store.Scope = scope{}

func (s scope) Users() store.Users                 { return users{s} }
func (s scope) Credentials() store.Credentials     { return credentials{s} }
func (s scope) Apps() store.Apps                   { return apps{s} }
func (s scope) Roles() store.Roles                 { return roles{s} }
func (s scope) Groups() store.Groups               { return groups{s} }
func (s scope) Organizations() store.Organizations { return organizations{s} }
func (s scope) Sessions() store.Sessions           { return sessions{s} }
func (s scope) RefreshTokens() store.RefreshTokens { return refreshTokens{s} }
func (s scope) Codes() store.Codes                 { return codes{s} }
func (s scope) Invitations() store.Invitations     { return invitations{s} }
func (s scope) Riskbits() store.Riskbits           { return riskbits{s} }
func (s scope) Events() store.Events               { return events{s} }
func (s scope) Messages() store.Messages           { return messages{s} }
func (s scope) Keys() store.Keys                   { return signingKeys{s} }

// bind replaces each :realm of query with a placeholder and puts the realm
// id at the matching position among args.
func (s scope) bind(query string, args []any) (string, []any, error) {
	var b strings.Builder
	b.Grow(len(query))
	out := make([]any, 0, len(args)+2)
	next, found, quoted := 0, false, false
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '?':
			if next == len(args) {
				return "", nil, errors.New("sqlstore: more placeholders than arguments")
			}
			out = append(out, args[next])
			next++
		case strings.HasPrefix(query[i:], realmToken):
			b.WriteByte('?')
			out = append(out, s.realm)
			i += len(realmToken) - 1
			found = true
			continue
		}
		b.WriteByte(c)
	}
	if !found {
		return "", nil, errNoRealm
	}
	if next != len(args) {
		return "", nil, errors.New("sqlstore: more arguments than placeholders")
	}
	return b.String(), out, nil
}

func (s scope) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	q, a, err := s.bind(query, args)
	if err != nil {
		return nil, err
	}
	return s.c.exec(ctx, q, a...)
}

// affected runs a statement and returns how many rows it changed.
func (s scope) affected(ctx context.Context, query string, args ...any) (int, error) {
	q, a, err := s.bind(query, args)
	if err != nil {
		return 0, err
	}
	return s.c.affected(ctx, q, a...)
}

// change runs an UPDATE or DELETE of one record: no row changed is
// store.ErrNotFound.
func (s scope) change(ctx context.Context, query string, args ...any) error {
	n, err := s.affected(ctx, query, args...)
	if err == nil && n == 0 {
		return store.ErrNotFound
	}
	return err
}

func (s scope) row(ctx context.Context, query string, args []any, dest ...any) error {
	q, a, err := s.bind(query, args)
	if err != nil {
		return err
	}
	return s.c.row(ctx, q, a, dest...)
}

// exists reports whether a row of table with that id is in the realm. It
// tells "absent" from "in the wrong state" after a conditional update
// changed nothing. table is always a constant of this package.
func (s scope) exists(ctx context.Context, table, id string) (bool, error) {
	var n int
	err := s.row(ctx, "SELECT COUNT(*) FROM "+table+" WHERE realm_id = :realm AND id = ?", []any{id}, &n)
	return n > 0, err
}

// notFoundOr returns store.ErrNotFound if the record is absent, else
// otherwise: the answer to a conditional update that changed no row.
func (s scope) notFoundOr(ctx context.Context, table, id string, otherwise error) error {
	ok, err := s.exists(ctx, table, id)
	switch {
	case err != nil:
		return err
	case !ok:
		return store.ErrNotFound
	}
	return otherwise
}

// write runs an INSERT or UPDATE that may break a constraint, keeping an
// enclosing transaction usable when it does (see conn.guard).
func (s scope) write(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var res sql.Result
	err := s.c.guard(ctx, func() error {
		var err error
		res, err = s.exec(ctx, query, args...)
		return err
	})
	return res, err
}

// writeOne is write for a statement meant to change exactly one row: no row
// changed is store.ErrNotFound.
func (s scope) writeOne(ctx context.Context, query string, args ...any) error {
	res, err := s.write(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return s.c.d.translate(err)
	}
	if n == 0 {
		return store.ErrNotFound
	}
	return nil
}

// writeRow is write for a statement with RETURNING, scanned into dest.
func (s scope) writeRow(ctx context.Context, query string, args []any, dest ...any) error {
	return s.c.guard(ctx, func() error { return s.row(ctx, query, args, dest...) })
}

// all runs a realm-scoped query and reads every row with scan.
func all[T any](ctx context.Context, s scope, scan func(scanner) (*T, error), query string, args ...any) ([]*T, error) {
	q, a, err := s.bind(query, args)
	if err != nil {
		return nil, err
	}
	return scanAll(ctx, s.c, scan, q, a...)
}

// one runs a realm-scoped single-row query and reads the row with scan; no
// row is store.ErrNotFound.
func one[T any](ctx context.Context, s scope, scan func(scanner) (*T, error), query string, args ...any) (*T, error) {
	q, a, err := s.bind(query, args)
	if err != nil {
		return nil, err
	}
	return scanOne(ctx, s.c, scan, q, a...)
}

// count runs a realm-scoped SELECT COUNT(*).
func (s scope) count(ctx context.Context, query string, args ...any) (int, error) {
	var n int
	err := s.row(ctx, query, args, &n)
	return n, err
}
