package sqlstore

import (
	"context"

	"iamd/iam"
	"iamd/store"
)

// realms implements store.Realms. Realms are the only records not owned by
// a realm, so it runs on the conn directly instead of a scope.
type realms struct{ c *conn }

const realmCols = "id, name, display_name, enabled, settings, created_at, updated_at"

func scanRealm(sc scanner) (*iam.Realm, error) {
	var r iam.Realm
	err := sc.Scan(&r.ID, &r.Name, &r.DisplayName, &r.Enabled, jsonCol{&r.Settings},
		timeCol{&r.CreatedAt}, timeCol{&r.UpdatedAt})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

func (x realms) Create(ctx context.Context, r *iam.Realm) error {
	return x.c.guard(ctx, func() error {
		_, err := x.c.exec(ctx, `INSERT INTO realms (`+realmCols+`, name_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.Name, r.DisplayName, r.Enabled, jsonVal{r.Settings},
			micros(r.CreatedAt), micros(r.UpdatedAt), iam.FoldKey(r.Name))
		return err
	})
}

func (x realms) get(ctx context.Context, where string, arg any) (*iam.Realm, error) {
	return scanOne(ctx, x.c, scanRealm, "SELECT "+realmCols+" FROM realms WHERE "+where, arg)
}

func (x realms) Get(ctx context.Context, id string) (*iam.Realm, error) {
	return x.get(ctx, "id = ?", id)
}

func (x realms) GetByName(ctx context.Context, name string) (*iam.Realm, error) {
	return x.get(ctx, "name_key = ?", iam.FoldKey(name))
}

func (x realms) List(ctx context.Context, p store.Page) ([]*iam.Realm, error) {
	limit, offset := window(p)
	return scanAll(ctx, x.c, scanRealm, "SELECT "+realmCols+" FROM realms ORDER BY name_key, id"+pageSQL, limit, offset)
}

func (x realms) Update(ctx context.Context, r *iam.Realm) error {
	return x.c.guard(ctx, func() error {
		n, err := x.c.affected(ctx, `UPDATE realms SET name = ?, name_key = ?, display_name = ?, enabled = ?,
			settings = ?, updated_at = ? WHERE id = ?`,
			r.Name, iam.FoldKey(r.Name), r.DisplayName, r.Enabled, jsonVal{r.Settings}, micros(r.UpdatedAt), r.ID)
		if err == nil && n == 0 {
			return store.ErrNotFound
		}
		return err
	})
}

// Delete removes the realm; every realm-owned table references realms with
// ON DELETE CASCADE, so its users, apps, tokens, messages and the rest go
// with it in the same statement.
func (x realms) Delete(ctx context.Context, id string) error {
	n, err := x.c.affected(ctx, "DELETE FROM realms WHERE id = ?", id)
	if err == nil && n == 0 {
		return store.ErrNotFound
	}
	return err
}
