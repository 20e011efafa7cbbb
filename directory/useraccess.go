package directory

import (
	"context"
	"errors"
	"slices"

	"iamd/iam"
	"iamd/store"
)

// Actor is the caller of a self-service operation on users (document
// 000's users/{id}, POST users): a user acting through an access token.
type Actor struct {
	// UserID is the caller's id. For a server administrator (a user of
	// realm master) it is not a user of the realm acted on.
	UserID string
	// RealmAdmin is set when the caller holds the realm's admin role or
	// is a server administrator; the surface reads it from the token.
	RealmAdmin bool
}

// UserAccess says on what grounds an actor may act on a user.
type UserAccess struct {
	Self       bool
	RealmAdmin bool
	// AdminOf are the organizations (ids) the actor administers (an
	// active membership with role iam.OrgAdmin) whose administrators act
	// on the user (orgActsOn): the user is an active member, or the
	// organization made the account and the person has not taken it over.
	AdminOf []string
}

// ManagesIdentity reports whether the access extends to the user's
// sign-in identifiers (e-mail, phone): only the user and a realm
// administrator. An organization's administrator must not be able to
// redirect the password reset of someone who also belongs to other
// organizations.
func (a *UserAccess) ManagesIdentity() bool { return a.Self || a.RealmAdmin }

// AccessUser returns the live user with numeric id num and the grounds on
// which actor may act on it: being the user, a realm administrator, or an
// administrator of an organization the user actively belongs to (or that
// made the account, see orgActsOn). A waiting invitation gives no rights:
// the person has not said yes.
//
// Errors: CodeNotFound for an unknown or deleted user (or another
// realm's); CodeForbidden when the actor has none of those grounds.
func (s *Service) AccessUser(ctx context.Context, realm *iam.Realm, actor Actor, num int64) (*iam.User, *UserAccess, error) {
	u, err := s.GetUserByNum(ctx, realm, num)
	if err != nil {
		return nil, nil, err
	}
	acc, err := s.userAccess(ctx, s.Store.Realm(realm.ID), actor, u)
	if err != nil {
		return nil, nil, err
	}
	return u, acc, nil
}

// userAccess computes actor's grounds on u; CodeForbidden when there are
// none.
func (s *Service) userAccess(ctx context.Context, sc store.Scope, actor Actor, u *iam.User) (*UserAccess, error) {
	acc := &UserAccess{Self: actor.UserID == u.ID, RealmAdmin: actor.RealmAdmin}
	if !acc.Self && iam.ValidID(actor.UserID) {
		mine, err := sc.Organizations().OfUser(ctx, actor.UserID)
		if err != nil {
			return nil, store.AsIAM(err, "membership", "")
		}
		theirs, err := sc.Organizations().OfUser(ctx, u.ID)
		if err != nil {
			return nil, store.AsIAM(err, "membership", "")
		}
		for _, m := range mine {
			if !m.Admin() || !slices.ContainsFunc(theirs, func(t *iam.Membership) bool { return t.OrgID == m.OrgID && orgActsOn(u, t) }) {
				continue
			}
			if _, err := liveOrg(ctx, sc, m.OrgID); err == nil {
				acc.AdminOf = append(acc.AdminOf, m.OrgID)
			} else if !iam.IsCode(err, iam.CodeNotFound) {
				return nil, err
			}
		}
	}
	if !acc.Self && !acc.RealmAdmin && len(acc.AdminOf) == 0 {
		return nil, iam.Errorf(iam.CodeForbidden, "only the user, an administrator of one of the user's organizations or a realm administrator may do this")
	}
	return acc, nil
}

// orgActsOn reports whether the administrators of the organization of m,
// u's membership, act on u: when m is active, or when that organization
// made u's account (CreatedForAttribute) and the person has not taken it
// over yet (NotUpdatedAttribute "true") — the account is the
// organization's own creation. A waiting membership of any other account
// is only an invitation, which gives no rights over the person.
func orgActsOn(u *iam.User, m *iam.Membership) bool {
	if m == nil || m.UserID != u.ID {
		return false
	}
	if m.Active() {
		return true
	}
	made, notUpdated := u.Attributes[CreatedForAttribute], u.Attributes[NotUpdatedAttribute]
	return len(made) == 1 && made[0] == m.OrgID && len(notUpdated) > 0 && notUpdated[0] == "true"
}

// UserView is a user with the memberships an actor may see.
type UserView struct {
	User        *iam.User
	Access      *UserAccess
	Memberships []OrgMembership
}

// ViewUser returns the live user with numeric id num as actor may see it:
// all of the user's memberships in live organizations for the user and a
// realm administrator, only those of organizations the actor administers
// for an organization administrator. Errors as AccessUser.
func (s *Service) ViewUser(ctx context.Context, realm *iam.Realm, actor Actor, num int64) (*UserView, error) {
	u, acc, err := s.AccessUser(ctx, realm, actor, num)
	if err != nil {
		return nil, err
	}
	return s.userView(ctx, realm, u, acc)
}

func (s *Service) userView(ctx context.Context, realm *iam.Realm, u *iam.User, acc *UserAccess) (*UserView, error) {
	all, err := s.MembershipsOf(ctx, realm, u.ID)
	if err != nil {
		return nil, err
	}
	v := &UserView{User: u, Access: acc}
	for _, om := range all {
		if acc.Self || acc.RealmAdmin || slices.Contains(acc.AdminOf, om.Organization.ID) {
			v.Memberships = append(v.Memberships, om)
		}
	}
	return v, nil
}

// RequireOrgAdmin returns the live organization orgRef when userID is an
// administrator of it (an active membership with role iam.OrgAdmin). It
// reads through tx, which may be the store itself or a transaction.
//
// Errors: CodeForbidden otherwise, an unknown organization included, so
// that the answer does not tell which organizations exist.
func (s *Service) RequireOrgAdmin(ctx context.Context, tx store.Tx, realm *iam.Realm, orgRef, userID string) (*iam.Organization, error) {
	forbidden := iam.Errorf(iam.CodeForbidden, "only an administrator of the organization may do this")
	sc := tx.Realm(realm.ID)
	o, err := liveOrg(ctx, sc, orgRef)
	if iam.IsCode(err, iam.CodeNotFound) {
		return nil, forbidden
	}
	if err != nil {
		return nil, err
	}
	if !iam.ValidID(userID) {
		return nil, forbidden
	}
	m, err := sc.Organizations().GetMember(ctx, o.ID, userID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !m.Admin()) {
		return nil, forbidden
	}
	if err != nil {
		return nil, store.AsIAM(err, "membership", "")
	}
	return o, nil
}

// InsertMember is AddMember through tx for a user that is not yet a
// member (a user created in the same transaction): it stores an active
// membership with roles and its audit event. CodeNotFound for an unknown
// organization or user, CodeInvalid ("roles") for a bad role.
func (s *Service) InsertMember(ctx context.Context, tx store.Tx, realm *iam.Realm, orgRef, userID string, roles []iam.OrgRole, actorID string) (*iam.Organization, *iam.Membership, error) {
	sc := tx.Realm(realm.ID)
	o, err := liveOrg(ctx, sc, orgRef)
	if err != nil {
		return nil, nil, err
	}
	norm, err := normalizeOrgRoles(ctx, sc, roles)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	m := &iam.Membership{OrgID: o.ID, UserID: userID, Roles: norm, Status: memberActive, CreatedAt: now, UpdatedAt: now}
	if err := sc.Organizations().PutMember(ctx, m); err != nil {
		return nil, nil, store.AsIAM(err, "user", "")
	}
	return o, m, sc.Events().Append(ctx, memberEvent(realm, iam.EventMemberAdded, o, m, actorID, now))
}
