package sqlstore

import (
	"context"

	"iamd/iam"
	"iamd/store"
)

// invitations implements store.Invitations. The foreign key (realm_id,
// org_id) → organizations makes an invitation to another realm's
// organization ErrNotFound. InvitedBy and UserID are plain text: the
// record outlives the users it names.
type invitations struct{ s scope }

const invitationCols = `id, realm_id, org_id, email, phone, roles, invited_by, token_hash, status,
	created_at, expires_at, accepted_at, user_id`

func scanInvitation(sc scanner) (*iam.Invitation, error) {
	var v iam.Invitation
	err := sc.Scan(&v.ID, &v.RealmID, &v.OrgID, &v.Email, &v.Phone, jsonCol{&v.Roles}, &v.InvitedBy, &v.TokenHash,
		&v.Status, timeCol{&v.CreatedAt}, timeCol{&v.ExpiresAt}, nullTimeCol{&v.AcceptedAt}, &v.UserID)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

func (x invitations) Create(ctx context.Context, v *iam.Invitation) error {
	_, err := x.s.write(ctx, "INSERT INTO invitations ("+invitationCols+") VALUES (?, :realm, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		v.ID, v.OrgID, v.Email, v.Phone, jsonVal{v.Roles}, v.InvitedBy, v.TokenHash, v.Status,
		micros(v.CreatedAt), micros(v.ExpiresAt), microsOrNull(v.AcceptedAt), v.UserID)
	if err == nil {
		v.RealmID = x.s.realm
	}
	return err
}

func (x invitations) Get(ctx context.Context, id string) (*iam.Invitation, error) {
	return one(ctx, x.s, scanInvitation, "SELECT "+invitationCols+" FROM invitations WHERE realm_id = :realm AND id = ?", id)
}

// GetByTokenHash returns the newest invitation with that token hash.
func (x invitations) GetByTokenHash(ctx context.Context, hash string) (*iam.Invitation, error) {
	return one(ctx, x.s, scanInvitation, "SELECT "+invitationCols+` FROM invitations
		WHERE realm_id = :realm AND token_hash = ? ORDER BY created_at DESC, id DESC LIMIT 1`, hash)
}

func (x invitations) List(ctx context.Context, orgID string, p store.Page) ([]*iam.Invitation, error) {
	var f filter
	if orgID != "" {
		f.and("org_id = ?", orgID)
	}
	limit, offset := window(p)
	return all(ctx, x.s, scanInvitation, "SELECT "+invitationCols+" FROM invitations WHERE realm_id = :realm"+f.String()+
		" ORDER BY created_at DESC, id DESC"+pageSQL, append(f.args, limit, offset)...)
}

func (x invitations) Update(ctx context.Context, v *iam.Invitation) error {
	return x.s.change(ctx, `UPDATE invitations SET status = ?, roles = ?, expires_at = ?, accepted_at = ?,
		user_id = ?, token_hash = ? WHERE realm_id = :realm AND id = ?`,
		v.Status, jsonVal{v.Roles}, micros(v.ExpiresAt), microsOrNull(v.AcceptedAt), v.UserID, v.TokenHash, v.ID)
}

func (x invitations) Delete(ctx context.Context, id string) error {
	return x.s.change(ctx, "DELETE FROM invitations WHERE realm_id = :realm AND id = ?", id)
}
