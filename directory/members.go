package directory

import (
	"context"
	"errors"
	"time"

	"iamd/iam"
	"iamd/store"
)

// Membership states, as the iam package names them.
const (
	memberActive   = iam.MemberActive
	memberInactive = iam.MemberInactive
)

// MemberInput is the state PutMember gives a membership.
type MemberInput struct {
	// Roles per app: App is a client id or an app name of the realm
	// (stored as the client id), Role a non-empty name.
	Roles  []iam.OrgRole
	Status string // "active" (default) or "inactive"
}

// OrgMembership is one membership of a user with its organization, for
// the "my organizations" and "switch tenant" views.
type OrgMembership struct {
	Organization *iam.Organization
	Membership   *iam.Membership
}

// AddMember makes the live user userID an active member of the
// organization with roles. When the user is already a member nothing
// changes: the existing membership is returned with existed true (document
// 000 answers 208 then; two racing adds may both report false, and the
// membership is stored once). CodeNotFound for an unknown organization or user,
// CodeInvalid ("roles") for a role without a name or of an unknown app.
func (s *Service) AddMember(ctx context.Context, realm *iam.Realm, orgRef, userID string, roles []iam.OrgRole, actorID string) (m *iam.Membership, existed bool, err error) {
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		o, err := liveOrg(ctx, sc, orgRef)
		if err != nil {
			return err
		}
		if _, err := liveUser(ctx, sc, userID); err != nil {
			return err
		}
		m, err = sc.Organizations().GetMember(ctx, o.ID, userID)
		if err == nil {
			existed = true
			return nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return err
		}
		norm, err := normalizeOrgRoles(ctx, sc, roles)
		if err != nil {
			return err
		}
		now := s.now()
		m = &iam.Membership{OrgID: o.ID, UserID: userID, Roles: norm, Status: memberActive, CreatedAt: now, UpdatedAt: now}
		if err := sc.Organizations().PutMember(ctx, m); err != nil {
			return err
		}
		return sc.Events().Append(ctx, memberEvent(realm, iam.EventMemberAdded, o, m, actorID, now))
	})
	if err != nil {
		return nil, false, store.AsIAM(err, "membership", "")
	}
	return m, existed, nil
}

// PutMember creates the membership or replaces its roles and status;
// created says which. Errors as AddMember, plus CodeInvalid ("status") for
// a status other than "active" or "inactive".
func (s *Service) PutMember(ctx context.Context, realm *iam.Realm, orgRef, userID string, in MemberInput, actorID string) (m *iam.Membership, created bool, err error) {
	switch in.Status {
	case "":
		in.Status = memberActive
	case memberActive, memberInactive:
	default:
		return nil, false, iam.Invalid("status", "status must be %q or %q", memberActive, memberInactive)
	}
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		o, err := liveOrg(ctx, sc, orgRef)
		if err != nil {
			return err
		}
		if _, err := liveUser(ctx, sc, userID); err != nil {
			return err
		}
		norm, err := normalizeOrgRoles(ctx, sc, in.Roles)
		if err != nil {
			return err
		}
		_, err = sc.Organizations().GetMember(ctx, o.ID, userID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		created = err != nil
		now := s.now()
		m = &iam.Membership{OrgID: o.ID, UserID: userID, Roles: norm, Status: in.Status, CreatedAt: now, UpdatedAt: now}
		if err := sc.Organizations().PutMember(ctx, m); err != nil {
			return err
		}
		typ := iam.EventMemberUpdated
		if created {
			typ = iam.EventMemberAdded
		}
		return sc.Events().Append(ctx, memberEvent(realm, typ, o, m, actorID, now))
	})
	if err != nil {
		return nil, false, store.AsIAM(err, "membership", "")
	}
	return m, created, nil
}

// RemoveMember ends the user's membership. CodeNotFound when the
// organization is unknown or the user is not a member.
func (s *Service) RemoveMember(ctx context.Context, realm *iam.Realm, orgRef, userID, actorID string) error {
	if !iam.ValidID(userID) {
		return iam.NotFound("membership")
	}
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		o, err := liveOrg(ctx, sc, orgRef)
		if err != nil {
			return err
		}
		if err := sc.Organizations().RemoveMember(ctx, o.ID, userID); err != nil {
			return store.AsIAM(err, "membership", "")
		}
		return sc.Events().Append(ctx, memberEvent(realm, iam.EventMemberRemoved, o, &iam.Membership{UserID: userID}, actorID, s.now()))
	})
	return store.AsIAM(err, "membership", "")
}

// Member returns one membership; CodeNotFound when the organization is
// unknown or the user is not a member.
func (s *Service) Member(ctx context.Context, realm *iam.Realm, orgRef, userID string) (*iam.Membership, error) {
	sc := s.Store.Realm(realm.ID)
	o, err := liveOrg(ctx, sc, orgRef)
	if err != nil {
		return nil, err
	}
	if !iam.ValidID(userID) {
		return nil, iam.NotFound("membership")
	}
	m, err := sc.Organizations().GetMember(ctx, o.ID, userID)
	if err != nil {
		return nil, store.AsIAM(err, "membership", "")
	}
	return m, nil
}

// Members lists the organization's memberships, oldest first, and the
// total. CodeNotFound for an unknown organization, CodeInvalid for a
// negative offset or limit.
func (s *Service) Members(ctx context.Context, realm *iam.Realm, orgRef string, p store.Page) ([]*iam.Membership, int, error) {
	if err := checkPage(p); err != nil {
		return nil, 0, err
	}
	sc := s.Store.Realm(realm.ID)
	o, err := liveOrg(ctx, sc, orgRef)
	if err != nil {
		return nil, 0, err
	}
	list, total, err := sc.Organizations().Members(ctx, o.ID, p)
	if err != nil {
		return nil, 0, store.AsIAM(err, "membership", "")
	}
	return list, total, nil
}

// MembershipsOf lists the live user's memberships in live organizations,
// oldest first. CodeNotFound for an unknown user.
func (s *Service) MembershipsOf(ctx context.Context, realm *iam.Realm, userID string) ([]OrgMembership, error) {
	sc := s.Store.Realm(realm.ID)
	if _, err := liveUser(ctx, sc, userID); err != nil {
		return nil, err
	}
	ms, err := sc.Organizations().OfUser(ctx, userID)
	if err != nil {
		return nil, store.AsIAM(err, "membership", "")
	}
	out := make([]OrgMembership, 0, len(ms))
	for _, m := range ms {
		o, err := sc.Organizations().Get(ctx, m.OrgID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && o.DeletedAt != nil) {
			continue
		}
		if err != nil {
			return nil, store.AsIAM(err, "organization", "")
		}
		out = append(out, OrgMembership{Organization: o, Membership: m})
	}
	return out, nil
}

func memberEvent(realm *iam.Realm, typ string, o *iam.Organization, m *iam.Membership, actorID string, at time.Time) *iam.Event {
	e := orgEvent(realm, typ, o, m.UserID, actorID, at)
	if m.Status != "" {
		e.Detail["status"] = m.Status
	}
	return e
}
