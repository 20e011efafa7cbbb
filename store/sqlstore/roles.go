package sqlstore

import (
	"context"

	"iamd/iam"
	"iamd/store"
)

// roles implements store.Roles. A realm role has app_id NULL, so the
// composite foreign key (realm_id, app_id) → apps is checked only for app
// roles; uniqueness is on (realm, app id or empty, name). Grants live in
// user_roles, whose foreign keys to users and roles both include realm_id:
// granting a role of realm B to a user of realm A cannot be stored.
type roles struct{ s scope }

const roleCols = "id, realm_id, app_id, name, description, attributes, created_at"

func scanRole(sc scanner) (*iam.Role, error) {
	var r iam.Role
	err := sc.Scan(&r.ID, &r.RealmID, textCol{&r.AppID}, &r.Name, &r.Description, jsonCol{&r.Attributes},
		timeCol{&r.CreatedAt})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

func (x roles) Create(ctx context.Context, r *iam.Role) error {
	_, err := x.s.write(ctx, "INSERT INTO roles ("+roleCols+") VALUES (?, :realm, ?, ?, ?, ?, ?)",
		r.ID, textOrNull(r.AppID), r.Name, r.Description, jsonVal{r.Attributes}, micros(r.CreatedAt))
	if err == nil {
		r.RealmID = x.s.realm
	}
	return err
}

func (x roles) Get(ctx context.Context, id string) (*iam.Role, error) {
	return one(ctx, x.s, scanRole, "SELECT "+roleCols+" FROM roles WHERE realm_id = :realm AND id = ?", id)
}

// appIs is the condition "the role belongs to appID", where "" means a
// realm role (app_id NULL).
func appIs(appID string) (string, []any) {
	if appID == "" {
		return "app_id IS NULL", nil
	}
	return "app_id = ?", []any{appID}
}

func (x roles) GetByName(ctx context.Context, appID, name string) (*iam.Role, error) {
	var f filter
	cond, args := appIs(appID)
	f.and(cond, args...)
	f.and("name = ?", name)
	return one(ctx, x.s, scanRole, "SELECT "+roleCols+" FROM roles WHERE realm_id = :realm"+f.String(), f.args...)
}

func (x roles) List(ctx context.Context, appID string) ([]*iam.Role, error) {
	cond, args := appIs(appID)
	return all(ctx, x.s, scanRole, "SELECT "+roleCols+" FROM roles WHERE realm_id = :realm AND "+cond+
		" ORDER BY name, id", args...)
}

// Update writes Name, Description and Attributes; a role does not move
// between apps.
func (x roles) Update(ctx context.Context, r *iam.Role) error {
	return x.s.writeOne(ctx, `UPDATE roles SET name = ?, description = ?, attributes = ?
		WHERE realm_id = :realm AND id = ?`, r.Name, r.Description, jsonVal{r.Attributes}, r.ID)
}

// Delete removes the role and, by cascade, its grants.
func (x roles) Delete(ctx context.Context, id string) error {
	return x.s.change(ctx, "DELETE FROM roles WHERE realm_id = :realm AND id = ?", id)
}

func (x roles) Grant(ctx context.Context, userID, roleID string) error {
	_, err := x.s.write(ctx, `INSERT INTO user_roles (realm_id, user_id, role_id) VALUES (:realm, ?, ?)
		ON CONFLICT DO NOTHING`, userID, roleID)
	return err
}

func (x roles) Revoke(ctx context.Context, userID, roleID string) error {
	return x.s.change(ctx, "DELETE FROM user_roles WHERE realm_id = :realm AND user_id = ? AND role_id = ?", userID, roleID)
}

func (x roles) OfUser(ctx context.Context, userID string) ([]*iam.Role, error) {
	return all(ctx, x.s, scanRole, "SELECT "+roleCols+` FROM roles WHERE realm_id = :realm
		AND id IN (SELECT role_id FROM user_roles WHERE realm_id = :realm AND user_id = ?)
		ORDER BY name, id`, userID)
}

// Users lists the live holders of the role, by username.
func (x roles) Users(ctx context.Context, roleID string, p store.Page) ([]*iam.User, error) {
	limit, offset := window(p)
	return all(ctx, x.s, scanUser, "SELECT "+userCols+` FROM users WHERE realm_id = :realm AND deleted_at IS NULL
		AND id IN (SELECT user_id FROM user_roles WHERE realm_id = :realm AND role_id = ?)
		ORDER BY username_key, id`+pageSQL, roleID, limit, offset)
}
