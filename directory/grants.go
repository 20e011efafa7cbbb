package directory

import (
	"context"

	"iamd/iam"
	"iamd/store"
)

// GrantRole gives the live user userID the role ref names; granting a role
// the user holds changes nothing but is recorded. CodeNotFound for an
// unknown user, app or role.
func (s *Service) GrantRole(ctx context.Context, realm *iam.Realm, userID string, ref RoleRef, actorID string) error {
	return s.GrantRoles(ctx, realm, userID, []RoleRef{ref}, actorID)
}

// RevokeRole takes the role back. CodeNotFound for an unknown user, app
// or role, or a role the user does not hold directly; CodePrecondition for
// the last holder of realm role "admin" in realm master.
func (s *Service) RevokeRole(ctx context.Context, realm *iam.Realm, userID string, ref RoleRef, actorID string) error {
	return s.RevokeRoles(ctx, realm, userID, []RoleRef{ref}, actorID)
}

// GrantRoles grants every role of refs, all or none, with one audit event
// per role. Errors as GrantRole; CodeInvalid ("roles") for an empty list.
func (s *Service) GrantRoles(ctx context.Context, realm *iam.Realm, userID string, refs []RoleRef, actorID string) error {
	return s.changeGrants(ctx, realm, userID, refs, actorID, true)
}

// RevokeRoles revokes every role of refs, all or none. Errors as
// RevokeRole; CodeInvalid ("roles") for an empty list.
func (s *Service) RevokeRoles(ctx context.Context, realm *iam.Realm, userID string, refs []RoleRef, actorID string) error {
	return s.changeGrants(ctx, realm, userID, refs, actorID, false)
}

func (s *Service) changeGrants(ctx context.Context, realm *iam.Realm, userID string, refs []RoleRef, actorID string, grant bool) error {
	if len(refs) == 0 {
		return iam.Invalid("roles", "no roles given")
	}
	now := s.now()
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		if _, err := liveUser(ctx, sc, userID); err != nil {
			return err
		}
		for _, ref := range refs {
			r, err := findRole(ctx, sc, ref)
			if err != nil {
				return err
			}
			typ := iam.EventRoleGranted
			if grant {
				err = sc.Roles().Grant(ctx, userID, r.ID)
			} else {
				typ = iam.EventRoleRevoked
				if err = keepLastAdmin(ctx, sc, realm, r, userID); err == nil {
					err = sc.Roles().Revoke(ctx, userID, r.ID)
				}
			}
			if err != nil {
				return store.AsIAM(err, "grant of role "+truncate(r.Name), "")
			}
			if err := sc.Events().Append(ctx, event(realm, typ, userID, actorID, now, roleDetail(r, ref.App))); err != nil {
				return err
			}
		}
		return nil
	})
	return store.AsIAM(err, "role", "")
}

// keepLastAdmin refuses to revoke realm role admin of realm master from
// its last holder, which would leave the server without an administrator.
func keepLastAdmin(ctx context.Context, sc store.Scope, realm *iam.Realm, r *iam.Role, userID string) error {
	if realm.Name != MasterRealm || r.AppID != "" || r.Name != iam.RoleAdmin {
		return nil
	}
	holders, err := sc.Roles().Users(ctx, r.ID, store.Page{Limit: 2})
	if err != nil {
		return err
	}
	if len(holders) == 1 && holders[0].ID == userID {
		return iam.Errorf(iam.CodePrecondition, "the last administrator of realm master keeps the admin role")
	}
	return nil
}

// UserRoles returns the roles granted to the live user directly, realm and
// app roles, by name. CodeNotFound for an unknown user.
func (s *Service) UserRoles(ctx context.Context, realm *iam.Realm, userID string) ([]*iam.Role, error) {
	sc := s.Store.Realm(realm.ID)
	if _, err := liveUser(ctx, sc, userID); err != nil {
		return nil, err
	}
	list, err := sc.Roles().OfUser(ctx, userID)
	return list, store.AsIAM(err, "role", "")
}

// EffectiveRoles returns every role the user holds: its direct grants and
// the roles of its groups. The store keeps no link between groups and
// roles yet (store.Groups has none), so today group membership adds no
// role and this equals UserRoles; surfaces and token issuers should call
// this one so that group roles apply everywhere once the link exists.
func (s *Service) EffectiveRoles(ctx context.Context, realm *iam.Realm, userID string) ([]*iam.Role, error) {
	return s.UserRoles(ctx, realm, userID)
}
