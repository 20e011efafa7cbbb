package sqlstore

import (
	"context"
	"time"

	"iamd/iam"
	"iamd/store"
)

// refreshTokens implements store.RefreshTokens. session_id and user_id are
// optional foreign keys (NULL when empty): revoking or deleting the session
// or user reaches its tokens.
type refreshTokens struct{ s scope }

const refreshCols = `id, realm_id, session_id, family_id, parent_id, hash, app_id, user_id, org_id, scope,
	created_at, expires_at, used_at, successor_id, revoked_at`

func scanRefresh(sc scanner) (*iam.RefreshToken, error) {
	var t iam.RefreshToken
	err := sc.Scan(&t.ID, &t.RealmID, textCol{&t.SessionID}, &t.FamilyID, &t.ParentID, &t.Hash, &t.AppID,
		textCol{&t.UserID}, &t.OrgID, &t.Scope, timeCol{&t.CreatedAt}, timeCol{&t.ExpiresAt},
		nullTimeCol{&t.UsedAt}, &t.SuccessorID, nullTimeCol{&t.RevokedAt})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

func (x refreshTokens) Create(ctx context.Context, t *iam.RefreshToken) error {
	_, err := x.s.write(ctx, "INSERT INTO refresh_tokens ("+refreshCols+`)
		VALUES (?, :realm, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, textOrNull(t.SessionID), t.FamilyID, t.ParentID, t.Hash, t.AppID, textOrNull(t.UserID), t.OrgID,
		t.Scope, micros(t.CreatedAt), micros(t.ExpiresAt), microsOrNull(t.UsedAt), t.SuccessorID,
		microsOrNull(t.RevokedAt))
	if err == nil {
		t.RealmID = x.s.realm
	}
	return err
}

// GetByHash returns the newest token with that hash (hashes of random
// tokens do not repeat; the order only makes the answer well defined).
func (x refreshTokens) GetByHash(ctx context.Context, hash string) (*iam.RefreshToken, error) {
	return one(ctx, x.s, scanRefresh, "SELECT "+refreshCols+` FROM refresh_tokens
		WHERE realm_id = :realm AND hash = ? ORDER BY created_at DESC, id DESC LIMIT 1`, hash)
}

func (x refreshTokens) Get(ctx context.Context, id string) (*iam.RefreshToken, error) {
	return one(ctx, x.s, scanRefresh, "SELECT "+refreshCols+" FROM refresh_tokens WHERE realm_id = :realm AND id = ?", id)
}

// MarkUsed is a conditional update, so of two racing rotations exactly one
// wins; the loser gets ErrConflict (ErrNotFound if there is no such token).
func (x refreshTokens) MarkUsed(ctx context.Context, id, successorID string, at time.Time) error {
	n, err := x.s.affected(ctx, `UPDATE refresh_tokens SET used_at = ?, successor_id = ?
		WHERE realm_id = :realm AND id = ? AND used_at IS NULL AND revoked_at IS NULL`, micros(at), successorID, id)
	if err != nil || n > 0 {
		return err
	}
	return x.s.notFoundOr(ctx, "refresh_tokens", id, store.ErrConflict)
}

// RevokeFamily revokes the family's unrevoked tokens (used or not) and
// returns how many there were.
func (x refreshTokens) RevokeFamily(ctx context.Context, familyID string, at time.Time) (int, error) {
	return x.s.affected(ctx, `UPDATE refresh_tokens SET revoked_at = ?
		WHERE realm_id = :realm AND family_id = ? AND revoked_at IS NULL`, micros(at), familyID)
}
