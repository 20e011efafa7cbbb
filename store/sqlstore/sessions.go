package sqlstore

import (
	"context"
	"time"

	"iamd/iam"
)

// sessions implements store.Sessions. OrgID is plain text, not a foreign
// key: a session may outlive the soft deletion of its organization.
type sessions struct{ s scope }

const sessionCols = "id, realm_id, user_id, org_id, amr, acr, ip, user_agent, created_at, last_seen_at, expires_at, revoked_at"

func scanSession(sc scanner) (*iam.Session, error) {
	var s iam.Session
	err := sc.Scan(&s.ID, &s.RealmID, &s.UserID, &s.OrgID, jsonCol{&s.AMR}, &s.ACR, &s.IP, &s.UserAgent,
		timeCol{&s.CreatedAt}, timeCol{&s.LastSeenAt}, timeCol{&s.ExpiresAt}, nullTimeCol{&s.RevokedAt})
	if err != nil {
		return nil, err
	}
	return &s, nil
}

func (x sessions) Create(ctx context.Context, s *iam.Session) error {
	_, err := x.s.write(ctx, "INSERT INTO sessions ("+sessionCols+") VALUES (?, :realm, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		s.ID, s.UserID, s.OrgID, jsonVal{s.AMR}, s.ACR, s.IP, s.UserAgent,
		micros(s.CreatedAt), micros(s.LastSeenAt), micros(s.ExpiresAt), microsOrNull(s.RevokedAt))
	if err == nil {
		s.RealmID = x.s.realm
	}
	return err
}

func (x sessions) Get(ctx context.Context, id string) (*iam.Session, error) {
	return one(ctx, x.s, scanSession, "SELECT "+sessionCols+" FROM sessions WHERE realm_id = :realm AND id = ?", id)
}

func (x sessions) Touch(ctx context.Context, id string, at time.Time, orgID string) error {
	if orgID == "" {
		return x.s.change(ctx, "UPDATE sessions SET last_seen_at = ? WHERE realm_id = :realm AND id = ?", micros(at), id)
	}
	return x.s.change(ctx, "UPDATE sessions SET last_seen_at = ?, org_id = ? WHERE realm_id = :realm AND id = ?",
		micros(at), orgID, id)
}

// Revoke marks the session and its refresh tokens revoked in one
// transaction. Revoking again keeps the first revocation time.
func (x sessions) Revoke(ctx context.Context, id string, at time.Time) error {
	return x.s.c.atomic(ctx, func(c *conn) error {
		s := scope{c: c, realm: x.s.realm}
		if err := s.change(ctx, "UPDATE sessions SET revoked_at = COALESCE(revoked_at, ?) WHERE realm_id = :realm AND id = ?",
			micros(at), id); err != nil {
			return err
		}
		_, err := s.exec(ctx, `UPDATE refresh_tokens SET revoked_at = ?
			WHERE realm_id = :realm AND session_id = ? AND revoked_at IS NULL`, micros(at), id)
		return err
	})
}

// RevokeUser revokes the user's unrevoked sessions and their refresh
// tokens; it returns how many sessions it revoked.
func (x sessions) RevokeUser(ctx context.Context, userID string, at time.Time) (int, error) {
	var n int
	err := x.s.c.atomic(ctx, func(c *conn) error {
		s := scope{c: c, realm: x.s.realm}
		if _, err := s.exec(ctx, `UPDATE refresh_tokens SET revoked_at = ?
			WHERE realm_id = :realm AND revoked_at IS NULL
			AND session_id IN (SELECT id FROM sessions WHERE realm_id = :realm AND user_id = ? AND revoked_at IS NULL)`,
			micros(at), userID); err != nil {
			return err
		}
		var err error
		n, err = s.affected(ctx, "UPDATE sessions SET revoked_at = ? WHERE realm_id = :realm AND user_id = ? AND revoked_at IS NULL",
			micros(at), userID)
		return err
	})
	return n, err
}

func (x sessions) OfUser(ctx context.Context, userID string, now time.Time) ([]*iam.Session, error) {
	return all(ctx, x.s, scanSession, "SELECT "+sessionCols+` FROM sessions
		WHERE realm_id = :realm AND user_id = ? AND revoked_at IS NULL AND expires_at > ?
		ORDER BY created_at DESC, id DESC`, userID, micros(now))
}

// Live joins the session with its user, both in the realm, so that the
// liveness check of a token costs one round trip; see store.Sessions.
func (x sessions) Live(ctx context.Context, sessionID, userID string, now time.Time) (bool, error) {
	n, err := x.s.count(ctx, `SELECT COUNT(*) FROM sessions s
		JOIN users u ON u.realm_id = :realm AND u.id = s.user_id
		WHERE s.realm_id = :realm AND s.id = ? AND s.user_id = ?
		AND s.revoked_at IS NULL AND s.expires_at > ?
		AND u.enabled = ? AND u.deleted_at IS NULL`,
		sessionID, userID, micros(now), true)
	return n > 0, err
}
