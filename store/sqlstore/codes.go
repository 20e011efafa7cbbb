package sqlstore

import (
	"context"
	"errors"
	"time"

	"iamd/iam"
	"iamd/store"
)

// codes implements store.Codes on the table one_time_codes. user_id is an
// optional foreign key (a sign-up code has no user yet).
type codes struct{ s scope }

const codeCols = "id, realm_id, user_id, purpose, target, hash, handle, attempts_left, data, created_at, expires_at, consumed_at"

func scanCode(sc scanner) (*iam.OneTimeCode, error) {
	var c iam.OneTimeCode
	err := sc.Scan(&c.ID, &c.RealmID, textCol{&c.UserID}, &c.Purpose, &c.Target, &c.Hash, &c.Handle,
		&c.AttemptsLeft, jsonCol{&c.Data}, timeCol{&c.CreatedAt}, timeCol{&c.ExpiresAt}, nullTimeCol{&c.ConsumedAt})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

func (x codes) Create(ctx context.Context, c *iam.OneTimeCode) error {
	_, err := x.s.write(ctx, "INSERT INTO one_time_codes ("+codeCols+") VALUES (?, :realm, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		c.ID, textOrNull(c.UserID), c.Purpose, c.Target, c.Hash, c.Handle, c.AttemptsLeft, jsonVal{c.Data},
		micros(c.CreatedAt), micros(c.ExpiresAt), microsOrNull(c.ConsumedAt))
	if err == nil {
		c.RealmID = x.s.realm
	}
	return err
}

func (x codes) Get(ctx context.Context, id string) (*iam.OneTimeCode, error) {
	return one(ctx, x.s, scanCode, "SELECT "+codeCols+" FROM one_time_codes WHERE realm_id = :realm AND id = ?", id)
}

func (x codes) GetByHandle(ctx context.Context, handle, purpose string) (*iam.OneTimeCode, error) {
	return one(ctx, x.s, scanCode, "SELECT "+codeCols+` FROM one_time_codes
		WHERE realm_id = :realm AND handle = ? AND purpose = ? ORDER BY created_at DESC, id DESC LIMIT 1`, handle, purpose)
}

// GetByHash returns the newest code with that hash and purpose.
func (x codes) GetByHash(ctx context.Context, hash, purpose string) (*iam.OneTimeCode, error) {
	return one(ctx, x.s, scanCode, "SELECT "+codeCols+` FROM one_time_codes
		WHERE realm_id = :realm AND hash = ? AND purpose = ? ORDER BY created_at DESC, id DESC LIMIT 1`, hash, purpose)
}

// SpendAttempt decrements in one conditional statement, so concurrent
// guesses can never spend more attempts than the code has.
func (x codes) SpendAttempt(ctx context.Context, id string) (int, error) {
	var left int
	err := x.s.row(ctx, `UPDATE one_time_codes SET attempts_left = attempts_left - 1
		WHERE realm_id = :realm AND id = ? AND attempts_left > 0 AND consumed_at IS NULL
		RETURNING attempts_left`, []any{id}, &left)
	if errors.Is(err, store.ErrNotFound) {
		return 0, x.s.notFoundOr(ctx, "one_time_codes", id, store.ErrConflict)
	}
	return left, err
}

// Consume is a conditional update: exactly one of several racing callers
// changes the row.
func (x codes) Consume(ctx context.Context, id string, at time.Time) error {
	n, err := x.s.affected(ctx, `UPDATE one_time_codes SET consumed_at = ?
		WHERE realm_id = :realm AND id = ? AND consumed_at IS NULL`, micros(at), id)
	if err != nil || n > 0 {
		return err
	}
	return x.s.notFoundOr(ctx, "one_time_codes", id, store.ErrConflict)
}

func (x codes) DeleteExpired(ctx context.Context, now time.Time) (int, error) {
	return x.s.affected(ctx, "DELETE FROM one_time_codes WHERE realm_id = :realm AND expires_at < ?", micros(now))
}
