package sqlstore

import (
	"context"
	"time"

	"iamd/iam"
	"iamd/store"
)

// Memberships (store.Organizations' member methods). The table's foreign
// keys (realm_id, org_id) and (realm_id, user_id) keep both ends in the
// realm; deleting the user or the realm removes the membership.

const memberCols = "realm_id, org_id, user_id, roles, status, created_at, updated_at"

// memberActive is the status of a membership stored without one.
const memberActive = "active"

func scanMember(sc scanner) (*iam.Membership, error) {
	var m iam.Membership
	err := sc.Scan(&m.RealmID, &m.OrgID, &m.UserID, jsonCol{&m.Roles}, &m.Status,
		timeCol{&m.CreatedAt}, timeCol{&m.UpdatedAt})
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// PutMember inserts or replaces the membership. A replacement keeps the
// original CreatedAt. Zero timestamps are set to now and an empty Status to
// "active"; m is updated to match what was stored.
func (x organizations) PutMember(ctx context.Context, m *iam.Membership) error {
	now := time.Now()
	if m.CreatedAt.IsZero() {
		m.CreatedAt = now
	}
	if m.UpdatedAt.IsZero() {
		m.UpdatedAt = now
	}
	if m.Status == "" {
		m.Status = memberActive
	}
	var created time.Time
	err := x.s.writeRow(ctx, "INSERT INTO memberships ("+memberCols+`) VALUES (:realm, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (realm_id, org_id, user_id) DO UPDATE
		SET roles = excluded.roles, status = excluded.status, updated_at = excluded.updated_at
		RETURNING created_at`,
		[]any{m.OrgID, m.UserID, jsonVal{m.Roles}, m.Status, micros(m.CreatedAt), micros(m.UpdatedAt)},
		timeCol{&created})
	if err != nil {
		return err
	}
	m.RealmID, m.CreatedAt = x.s.realm, created
	return nil
}

func (x organizations) GetMember(ctx context.Context, orgID, userID string) (*iam.Membership, error) {
	return one(ctx, x.s, scanMember, "SELECT "+memberCols+` FROM memberships
		WHERE realm_id = :realm AND org_id = ? AND user_id = ?`, orgID, userID)
}

func (x organizations) RemoveMember(ctx context.Context, orgID, userID string) error {
	return x.s.change(ctx, "DELETE FROM memberships WHERE realm_id = :realm AND org_id = ? AND user_id = ?", orgID, userID)
}

// Members lists an organization's memberships, oldest first, and the total.
func (x organizations) Members(ctx context.Context, orgID string, p store.Page) ([]*iam.Membership, int, error) {
	total, err := x.s.count(ctx, "SELECT COUNT(*) FROM memberships WHERE realm_id = :realm AND org_id = ?", orgID)
	if err != nil {
		return nil, 0, err
	}
	limit, offset := window(p)
	list, err := all(ctx, x.s, scanMember, "SELECT "+memberCols+` FROM memberships
		WHERE realm_id = :realm AND org_id = ? ORDER BY created_at, user_id`+pageSQL, orgID, limit, offset)
	return list, total, err
}

func (x organizations) OfUser(ctx context.Context, userID string) ([]*iam.Membership, error) {
	return all(ctx, x.s, scanMember, "SELECT "+memberCols+` FROM memberships
		WHERE realm_id = :realm AND user_id = ? ORDER BY created_at, org_id`, userID)
}
