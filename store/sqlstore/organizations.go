package sqlstore

import (
	"context"
	"time"

	"iamd/iam"
	"iamd/store"
)

// organizations implements store.Organizations; memberships are in
// memberships.go. Names are unique among the realm's live organizations,
// case-insensitively (name_key); display_key is the folded display name,
// for search.
type organizations struct{ s scope }

const orgCols = "num, id, realm_id, name, display_name, attributes, created_at, updated_at, deleted_at"

func scanOrg(sc scanner) (*iam.Organization, error) {
	var o iam.Organization
	err := sc.Scan(&o.Num, &o.ID, &o.RealmID, &o.Name, &o.DisplayName, jsonCol{&o.Attributes},
		timeCol{&o.CreatedAt}, timeCol{&o.UpdatedAt}, nullTimeCol{&o.DeletedAt})
	if err != nil {
		return nil, err
	}
	return &o, nil
}

func (x organizations) Create(ctx context.Context, o *iam.Organization) error {
	var num int64
	err := x.s.writeRow(ctx, `INSERT INTO organizations (id, realm_id, name, display_name, attributes,
		created_at, updated_at, deleted_at, name_key, display_key)
		VALUES (?, :realm, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING num`,
		[]any{o.ID, o.Name, o.DisplayName, jsonVal{o.Attributes}, micros(o.CreatedAt), micros(o.UpdatedAt),
			microsOrNull(o.DeletedAt), iam.FoldKey(o.Name), iam.FoldKey(o.DisplayName)},
		&num)
	if err != nil {
		return err
	}
	o.Num, o.RealmID = num, x.s.realm
	return nil
}

// Get returns the organization, including a soft-deleted one (check
// DeletedAt), like Users.Get and Apps.Get.
func (x organizations) Get(ctx context.Context, id string) (*iam.Organization, error) {
	return one(ctx, x.s, scanOrg, "SELECT "+orgCols+" FROM organizations WHERE realm_id = :realm AND id = ?", id)
}

func (x organizations) GetByNum(ctx context.Context, num int64) (*iam.Organization, error) {
	return one(ctx, x.s, scanOrg, "SELECT "+orgCols+" FROM organizations WHERE realm_id = :realm AND num = ?", num)
}

// List returns live organizations whose name or display name contains
// search (case-insensitive), by name, and the total count.
func (x organizations) List(ctx context.Context, search string, p store.Page) ([]*iam.Organization, int, error) {
	var f filter
	f.and("deleted_at IS NULL")
	if term := iam.FoldKey(search); term != "" {
		pat := likePattern(term, false)
		f.and(`(name_key LIKE ? ESCAPE '\' OR display_key LIKE ? ESCAPE '\')`, pat, pat)
	}
	total, err := x.s.count(ctx, "SELECT COUNT(*) FROM organizations WHERE realm_id = :realm"+f.String(), f.args...)
	if err != nil {
		return nil, 0, err
	}
	limit, offset := window(p)
	list, err := all(ctx, x.s, scanOrg, "SELECT "+orgCols+" FROM organizations WHERE realm_id = :realm"+f.String()+
		" ORDER BY name_key, id"+pageSQL, append(f.args, limit, offset)...)
	return list, total, err
}

// Update writes Name, DisplayName, Attributes and UpdatedAt.
func (x organizations) Update(ctx context.Context, o *iam.Organization) error {
	return x.s.writeOne(ctx, `UPDATE organizations SET name = ?, display_name = ?, attributes = ?, updated_at = ?,
		name_key = ?, display_key = ? WHERE realm_id = :realm AND id = ?`,
		o.Name, o.DisplayName, jsonVal{o.Attributes}, micros(o.UpdatedAt),
		iam.FoldKey(o.Name), iam.FoldKey(o.DisplayName), o.ID)
}

// SoftDelete sets DeletedAt only, freeing the name; ErrNotFound if absent
// or already deleted.
func (x organizations) SoftDelete(ctx context.Context, id string, at time.Time) error {
	return x.s.change(ctx, `UPDATE organizations SET deleted_at = ?
		WHERE realm_id = :realm AND id = ? AND deleted_at IS NULL`, micros(at), id)
}
