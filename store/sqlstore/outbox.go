package sqlstore

import (
	"context"
	"sort"
	"time"

	"iamd/iam"
	"iamd/store"
)

// outbox implements store.Outbox: the dispatcher's view across realms, so
// it runs on the conn rather than a scope.
type outbox struct{ c *conn }

// undelivered is the condition for messages still to be tried.
const undelivered = "sent_at IS NULL AND failed_at IS NULL"

// Claim picks and leases due messages in one statement: the UPDATE's
// subquery selects them and the UPDATE pushes their next attempt, so two
// dispatchers never claim the same message. On PostgreSQL the subquery
// also skips rows another claim has locked (Dialect.SkipLocked); SQLite
// runs one writer at a time anyway.
func (o outbox) Claim(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*iam.Message, error) {
	if limit <= 0 {
		return []*iam.Message{}, nil
	}
	if limit > maxLimit {
		limit = maxLimit
	}
	list, err := scanAll(ctx, o.c, scanMessage, `UPDATE messages SET next_attempt_at = ?
		WHERE id IN (SELECT id FROM messages WHERE `+undelivered+` AND next_attempt_at <= ?
			ORDER BY created_at, id LIMIT ?`+o.c.d.SkipLocked+`)
		RETURNING `+messageCols, micros(now.Add(lease)), micros(now), limit)
	if err != nil {
		return nil, err
	}
	// RETURNING has no defined order.
	sort.Slice(list, func(i, j int) bool {
		a, b := list[i], list[j]
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.Before(b.CreatedAt)
		}
		return a.ID < b.ID
	})
	return list, nil
}

// MarkSent records delivery and blanks the body and the secret it carried.
func (o outbox) MarkSent(ctx context.Context, id string, at time.Time) error {
	n, err := o.c.affected(ctx, `UPDATE messages SET sent_at = ?, text_body = '', html_body = '', code = '', link = ''
		WHERE id = ?`, micros(at), id)
	if err == nil && n == 0 {
		return store.ErrNotFound
	}
	return err
}

// MarkRetry records a failed attempt. A message given up gets FailedAt
// (the time of the call: the dispatcher gives up now, not at next) and,
// like a delivered one, loses the secret it carried: it will never be
// sent, so nothing needs the code any more.
func (o outbox) MarkRetry(ctx context.Context, id, lastError string, next time.Time, failed bool) error {
	q := `UPDATE messages SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?`
	args := []any{lastError, micros(next), id}
	if failed {
		q = `UPDATE messages SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, failed_at = ?,
		text_body = '', html_body = '', code = '', link = '' WHERE id = ?`
		args = []any{lastError, micros(next), micros(time.Now()), id}
	}
	n, err := o.c.affected(ctx, q, args...)
	if err == nil && n == 0 {
		return store.ErrNotFound
	}
	return err
}

func (o outbox) Pending(ctx context.Context) (int, error) {
	var n int
	err := o.c.row(ctx, "SELECT COUNT(*) FROM messages WHERE "+undelivered, nil, &n)
	return n, err
}
