package sqlstore

import (
	"context"
	"time"

	"iamd/iam"
	"iamd/store"
)

// apps implements store.Apps. client_id is unique among the realm's live
// apps, exactly as written (OAuth client ids are case-sensitive);
// client_key and name_key are folded copies for case-insensitive search.
// Lifetimes are stored as nanoseconds.
type apps struct{ s scope }

const appCols = `num, id, realm_id, client_id, name, description, is_public, secret_hash,
	redirect_uris, grant_types, scopes, enabled, access_ttl, refresh_ttl, attributes,
	created_at, updated_at, deleted_at`

func scanApp(sc scanner) (*iam.App, error) {
	var a iam.App
	err := sc.Scan(&a.Num, &a.ID, &a.RealmID, &a.ClientID, &a.Name, &a.Description, &a.Public, &a.SecretHash,
		jsonCol{&a.RedirectURIs}, jsonCol{&a.GrantTypes}, jsonCol{&a.Scopes}, &a.Enabled,
		durationCol{&a.AccessTTL}, durationCol{&a.RefreshTTL}, jsonCol{&a.Attributes},
		timeCol{&a.CreatedAt}, timeCol{&a.UpdatedAt}, nullTimeCol{&a.DeletedAt})
	if err != nil {
		return nil, err
	}
	return &a, nil
}

func (x apps) Create(ctx context.Context, a *iam.App) error {
	var num int64
	err := x.s.writeRow(ctx, `INSERT INTO apps (id, realm_id, client_id, name, description, is_public, secret_hash,
		redirect_uris, grant_types, scopes, enabled, access_ttl, refresh_ttl, attributes,
		created_at, updated_at, deleted_at, client_key, name_key)
		VALUES (?, :realm, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		RETURNING num`,
		[]any{a.ID, a.ClientID, a.Name, a.Description, a.Public, a.SecretHash,
			jsonVal{a.RedirectURIs}, jsonVal{a.GrantTypes}, jsonVal{a.Scopes}, a.Enabled,
			int64(a.AccessTTL), int64(a.RefreshTTL), jsonVal{a.Attributes},
			micros(a.CreatedAt), micros(a.UpdatedAt), microsOrNull(a.DeletedAt),
			iam.FoldKey(a.ClientID), iam.FoldKey(a.Name)},
		&num)
	if err != nil {
		return err
	}
	a.Num, a.RealmID = num, x.s.realm
	return nil
}

func (x apps) Get(ctx context.Context, id string) (*iam.App, error) {
	return one(ctx, x.s, scanApp, "SELECT "+appCols+" FROM apps WHERE realm_id = :realm AND id = ?", id)
}

func (x apps) GetByNum(ctx context.Context, num int64) (*iam.App, error) {
	return one(ctx, x.s, scanApp, "SELECT "+appCols+" FROM apps WHERE realm_id = :realm AND num = ?", num)
}

func (x apps) GetByClientID(ctx context.Context, clientID string) (*iam.App, error) {
	return one(ctx, x.s, scanApp, "SELECT "+appCols+` FROM apps
		WHERE realm_id = :realm AND client_id = ? AND deleted_at IS NULL`, clientID)
}

func (x apps) List(ctx context.Context, q store.AppQuery) ([]*iam.App, int, error) {
	var f filter
	if !q.IncludeDeleted {
		f.and("deleted_at IS NULL")
	}
	if term := iam.FoldKey(q.Search); term != "" {
		p := likePattern(term, false)
		f.and(`(client_key LIKE ? ESCAPE '\' OR name_key LIKE ? ESCAPE '\')`, p, p)
	}
	total, err := x.s.count(ctx, "SELECT COUNT(*) FROM apps WHERE realm_id = :realm"+f.String(), f.args...)
	if err != nil {
		return nil, 0, err
	}
	limit, offset := window(q.Page)
	list, err := all(ctx, x.s, scanApp, "SELECT "+appCols+" FROM apps WHERE realm_id = :realm"+f.String()+
		" ORDER BY client_id, id"+pageSQL, append(f.args, limit, offset)...)
	return list, total, err
}

// Update writes every field but ID, Num, RealmID, CreatedAt and DeletedAt;
// deletion goes through SoftDelete only.
func (x apps) Update(ctx context.Context, a *iam.App) error {
	return x.s.writeOne(ctx, `UPDATE apps SET client_id = ?, name = ?, description = ?, is_public = ?,
		secret_hash = ?, redirect_uris = ?, grant_types = ?, scopes = ?, enabled = ?, access_ttl = ?,
		refresh_ttl = ?, attributes = ?, updated_at = ?, client_key = ?, name_key = ?
		WHERE realm_id = :realm AND id = ?`,
		a.ClientID, a.Name, a.Description, a.Public, a.SecretHash,
		jsonVal{a.RedirectURIs}, jsonVal{a.GrantTypes}, jsonVal{a.Scopes}, a.Enabled,
		int64(a.AccessTTL), int64(a.RefreshTTL), jsonVal{a.Attributes}, micros(a.UpdatedAt),
		iam.FoldKey(a.ClientID), iam.FoldKey(a.Name), a.ID)
}

// SoftDelete sets DeletedAt only; UpdatedAt stays the time of the last
// edit.
func (x apps) SoftDelete(ctx context.Context, id string, at time.Time) error {
	return x.s.change(ctx, `UPDATE apps SET deleted_at = ?
		WHERE realm_id = :realm AND id = ? AND deleted_at IS NULL`, micros(at), id)
}
