package directory

import (
	"context"
	"strings"

	"iamd/iam"
	"iamd/store"
)

// RoleRef names a role: a realm role when App is "", else a role of the
// app App (its client id, or its name when that is unambiguous).
type RoleRef struct {
	App  string
	Name string
}

// NewRole is what an administrator gives to create a role.
type NewRole struct {
	App         string // "" for a realm role; else client id or app name
	Name        string
	Description string
	Attributes  map[string]string
}

// CreateRole creates a realm or app role. CodeInvalid names the bad field;
// CodeNotFound for an unknown app; CodeConflict when the app (or realm)
// already has a role of that name.
func (s *Service) CreateRole(ctx context.Context, realm *iam.Realm, in NewRole, actorID string) (*iam.Role, error) {
	now := s.now()
	r := &iam.Role{ID: iam.NewID(), RealmID: realm.ID, Name: strings.TrimSpace(in.Name), Description: in.Description, Attributes: in.Attributes, CreatedAt: now}
	if err := checkText("name", r.Name, 255, true); err != nil {
		return nil, err
	}
	if err := checkText("description", r.Description, 1000, false); err != nil {
		return nil, err
	}
	if err := checkAttributes("attributes", r.Attributes); err != nil {
		return nil, err
	}
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		if in.App != "" {
			a, err := resolveApp(ctx, sc, in.App)
			if err != nil {
				return err
			}
			r.AppID = a.ID
		}
		if err := sc.Roles().Create(ctx, r); err != nil {
			return store.AsIAM(err, "app", "role "+r.Name+" already exists")
		}
		return sc.Events().Append(ctx, event(realm, iam.EventRoleCreated, "", actorID, now, roleDetail(r, in.App)))
	})
	if err != nil {
		return nil, store.AsIAM(err, "role", "")
	}
	return r, nil
}

// GetRole returns the role ref names; CodeNotFound if there is none.
func (s *Service) GetRole(ctx context.Context, realm *iam.Realm, ref RoleRef) (*iam.Role, error) {
	return findRole(ctx, s.Store.Realm(realm.ID), ref)
}

// ListRoles returns the roles of app (client id or name; "" for the realm
// roles), by name. CodeNotFound for an unknown app.
func (s *Service) ListRoles(ctx context.Context, realm *iam.Realm, app string) ([]*iam.Role, error) {
	sc := s.Store.Realm(realm.ID)
	appID := ""
	if app != "" {
		a, err := resolveApp(ctx, sc, app)
		if err != nil {
			return nil, err
		}
		appID = a.ID
	}
	list, err := sc.Roles().List(ctx, appID)
	return list, store.AsIAM(err, "role", "")
}

// DeleteRole deletes the role and every grant of it. CodeNotFound if there
// is no such role; CodePrecondition for realm role "admin" of realm
// master, without which nobody could administer the server.
func (s *Service) DeleteRole(ctx context.Context, realm *iam.Realm, ref RoleRef, actorID string) error {
	if ref.App == "" && ref.Name == iam.RoleAdmin && realm.Name == MasterRealm {
		return iam.Errorf(iam.CodePrecondition, "the admin role of realm master cannot be deleted")
	}
	now := s.now()
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		r, err := findRole(ctx, sc, ref)
		if err != nil {
			return err
		}
		if err := sc.Roles().Delete(ctx, r.ID); err != nil {
			return err
		}
		return sc.Events().Append(ctx, event(realm, iam.EventRoleDeleted, "", actorID, now, roleDetail(r, ref.App)))
	})
	return store.AsIAM(err, "role", "")
}

// RoleUsers lists the live holders of a role (direct grants), by
// username. CodeNotFound for an unknown role; CodeInvalid for a negative
// offset or limit.
func (s *Service) RoleUsers(ctx context.Context, realm *iam.Realm, ref RoleRef, p store.Page) ([]*iam.User, error) {
	if err := checkPage(p); err != nil {
		return nil, err
	}
	sc := s.Store.Realm(realm.ID)
	r, err := findRole(ctx, sc, ref)
	if err != nil {
		return nil, err
	}
	list, err := sc.Roles().Users(ctx, r.ID, p)
	return list, store.AsIAM(err, "role", "")
}

// findRole resolves ref in the scope's realm.
func findRole(ctx context.Context, sc store.Scope, ref RoleRef) (*iam.Role, error) {
	name := strings.TrimSpace(ref.Name)
	if name == "" || len(name) > 1024 {
		return nil, iam.NotFound("role")
	}
	appID := ""
	if ref.App != "" {
		a, err := resolveApp(ctx, sc, ref.App)
		if err != nil {
			return nil, err
		}
		appID = a.ID
	}
	r, err := sc.Roles().GetByName(ctx, appID, name)
	if err != nil {
		return nil, store.AsIAM(err, "role "+truncate(name), "")
	}
	return r, nil
}

func roleDetail(r *iam.Role, app string) map[string]string {
	d := map[string]string{"role": r.Name, "role_id": r.ID}
	if r.AppID != "" {
		d["app_id"], d["app"] = r.AppID, app
	}
	return d
}
