package sqlstore

import (
	"context"

	"iamd/iam"
	"iamd/store"
)

// groups implements store.Groups on the tables user_groups and
// group_members ("groups" is a keyword in both dialects). A top-level group
// has parent_id NULL; the foreign key (realm_id, parent_id) → user_groups
// keeps parents in the realm and deletes subgroups with their parent.
type groups struct{ s scope }

const groupCols = "id, realm_id, parent_id, name, attributes, created_at"

func scanGroup(sc scanner) (*iam.Group, error) {
	var g iam.Group
	err := sc.Scan(&g.ID, &g.RealmID, textCol{&g.ParentID}, &g.Name, jsonCol{&g.Attributes}, timeCol{&g.CreatedAt})
	if err != nil {
		return nil, err
	}
	return &g, nil
}

func (x groups) Create(ctx context.Context, g *iam.Group) error {
	_, err := x.s.write(ctx, "INSERT INTO user_groups ("+groupCols+") VALUES (?, :realm, ?, ?, ?, ?)",
		g.ID, textOrNull(g.ParentID), g.Name, jsonVal{g.Attributes}, micros(g.CreatedAt))
	if err == nil {
		g.RealmID = x.s.realm
	}
	return err
}

func (x groups) Get(ctx context.Context, id string) (*iam.Group, error) {
	return one(ctx, x.s, scanGroup, "SELECT "+groupCols+" FROM user_groups WHERE realm_id = :realm AND id = ?", id)
}

func (x groups) List(ctx context.Context, p store.Page) ([]*iam.Group, error) {
	limit, offset := window(p)
	return all(ctx, x.s, scanGroup, "SELECT "+groupCols+" FROM user_groups WHERE realm_id = :realm ORDER BY name, id"+pageSQL,
		limit, offset)
}

// Update writes ParentID, Name and Attributes. A group cannot be its own
// parent; deeper cycles are the caller's to prevent.
func (x groups) Update(ctx context.Context, g *iam.Group) error {
	if g.ParentID == g.ID {
		return store.ErrConflict
	}
	return x.s.writeOne(ctx, `UPDATE user_groups SET parent_id = ?, name = ?, attributes = ?
		WHERE realm_id = :realm AND id = ?`, textOrNull(g.ParentID), g.Name, jsonVal{g.Attributes}, g.ID)
}

// Delete removes the group, its subgroups and their memberships.
func (x groups) Delete(ctx context.Context, id string) error {
	return x.s.change(ctx, "DELETE FROM user_groups WHERE realm_id = :realm AND id = ?", id)
}

// AddMember is idempotent; ErrNotFound if the group or user is not in the
// realm.
func (x groups) AddMember(ctx context.Context, groupID, userID string) error {
	_, err := x.s.write(ctx, `INSERT INTO group_members (realm_id, group_id, user_id) VALUES (:realm, ?, ?)
		ON CONFLICT DO NOTHING`, groupID, userID)
	return err
}

// RemoveMember returns ErrNotFound if the user was not a member.
func (x groups) RemoveMember(ctx context.Context, groupID, userID string) error {
	return x.s.change(ctx, "DELETE FROM group_members WHERE realm_id = :realm AND group_id = ? AND user_id = ?", groupID, userID)
}

// Members lists the group's live members, by username.
func (x groups) Members(ctx context.Context, groupID string, p store.Page) ([]*iam.User, error) {
	limit, offset := window(p)
	return all(ctx, x.s, scanUser, "SELECT "+userCols+` FROM users WHERE realm_id = :realm AND deleted_at IS NULL
		AND id IN (SELECT user_id FROM group_members WHERE realm_id = :realm AND group_id = ?)
		ORDER BY username_key, id`+pageSQL, groupID, limit, offset)
}

func (x groups) OfUser(ctx context.Context, userID string) ([]*iam.Group, error) {
	return all(ctx, x.s, scanGroup, "SELECT "+groupCols+` FROM user_groups WHERE realm_id = :realm
		AND id IN (SELECT group_id FROM group_members WHERE realm_id = :realm AND user_id = ?)
		ORDER BY name, id`, userID)
}
