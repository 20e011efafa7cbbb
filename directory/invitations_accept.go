package directory

import (
	"context"
	"errors"
	"slices"
	"time"

	"iamd/iam"
	"iamd/store"
)

// AcceptInvitation makes the live user userID a member of the invitation's
// organization with the invited roles (added to any roles the user already
// has there) and marks the invitation accepted by that user. The token is
// the proof: the user need not have the invited e-mail or phone. An
// invitation is accepted at most once: of racing calls exactly one
// succeeds.
//
// Errors: CodeNotFound for an unknown token, user or a deleted
// organization; CodeExpired after the expiry; CodePrecondition when the
// invitation was already accepted or was revoked.
func (s *Service) AcceptInvitation(ctx context.Context, realm *iam.Realm, token, userID string) (*iam.Membership, error) {
	var m *iam.Membership
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		var err error
		_, m, err = s.AcceptInvitationIn(ctx, tx, realm, token, userID)
		return err
	})
	if err != nil {
		return nil, store.AsIAM(err, "invitation", "")
	}
	return m, nil
}

// AcceptInvitationIn is AcceptInvitation through tx, so that a caller can
// commit the acceptance together with more (the account created or
// claimed with the invitation); it also returns the invitation as
// accepted. Errors as AcceptInvitation.
func (s *Service) AcceptInvitationIn(ctx context.Context, tx store.Tx, realm *iam.Realm, token, userID string) (*iam.Invitation, *iam.Membership, error) {
	if token == "" || len(token) > 256 {
		return nil, nil, iam.NotFound("invitation")
	}
	now := s.now()
	sc := tx.Realm(realm.ID)
	inv, err := sc.Invitations().GetByTokenHash(ctx, iam.HashToken(token))
	if err != nil {
		return nil, nil, store.AsIAM(err, "invitation", "")
	}
	if err := usable(inv, now); err != nil {
		return nil, nil, err
	}
	if _, err := liveUser(ctx, sc, userID); err != nil {
		return nil, nil, err
	}
	o, err := liveOrg(ctx, sc, inv.OrgID)
	if err != nil {
		return nil, nil, err
	}
	switch err := spendInvitation(ctx, sc, inv, now); {
	case errors.Is(err, store.ErrConflict):
		return nil, nil, iam.Errorf(iam.CodePrecondition, "the invitation was already used")
	case errors.Is(err, store.ErrNotFound):
		return nil, nil, iam.Errorf(iam.CodeExpired, "the invitation is no longer valid; ask for a new one")
	case err != nil:
		return nil, nil, err
	}
	m, err := joinWithRoles(ctx, sc, o.ID, userID, inv.Roles, now)
	if err != nil {
		return nil, nil, err
	}
	inv.Status, inv.AcceptedAt, inv.UserID = iam.InviteAccepted, &now, userID
	if err := sc.Invitations().Update(ctx, inv); err != nil {
		return nil, nil, err
	}
	e := orgEvent(realm, iam.EventInvitationAccepted, o, userID, userID, now)
	e.Detail["invitation_id"] = inv.ID
	return inv, m, sc.Events().Append(ctx, e)
}

// usable says why an invitation cannot be accepted at now, if it cannot.
func usable(inv *iam.Invitation, now time.Time) error {
	switch {
	case inv.Status == iam.InviteAccepted:
		return iam.Errorf(iam.CodePrecondition, "the invitation was already accepted")
	case inv.Status == iam.InviteRevoked:
		return iam.Errorf(iam.CodePrecondition, "the invitation was revoked")
	case !now.Before(inv.ExpiresAt):
		return iam.Errorf(iam.CodeExpired, "the invitation has expired; ask for a new one")
	}
	return nil
}

// joinWithRoles makes the user an active member with roles added to the
// roles the user already has in the organization.
func joinWithRoles(ctx context.Context, sc store.Scope, orgID, userID string, roles []iam.OrgRole, now time.Time) (*iam.Membership, error) {
	m, err := sc.Organizations().GetMember(ctx, orgID, userID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		m = &iam.Membership{OrgID: orgID, UserID: userID, CreatedAt: now}
	case err != nil:
		return nil, err
	}
	for _, r := range roles {
		if !slices.ContainsFunc(m.Roles, func(x iam.OrgRole) bool { return x.App == r.App && x.Role == r.Role }) {
			m.Roles = append(m.Roles, r)
		}
	}
	m.Status, m.UpdatedAt = memberActive, now
	return m, sc.Organizations().PutMember(ctx, m)
}

// RevokeInvitation withdraws a pending invitation so that its link stops
// working. CodeNotFound for an unknown id; CodePrecondition when it was
// already accepted or revoked.
func (s *Service) RevokeInvitation(ctx context.Context, realm *iam.Realm, invitationID, actorID string) error {
	if !iam.ValidID(invitationID) {
		return iam.NotFound("invitation")
	}
	now := s.now()
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		inv, err := sc.Invitations().Get(ctx, invitationID)
		if err != nil {
			return store.AsIAM(err, "invitation", "")
		}
		if inv.Status != iam.InvitePending {
			return iam.Errorf(iam.CodePrecondition, "the invitation is already %s", inv.Status)
		}
		if err := revoke(ctx, sc, inv, now); err != nil {
			return err
		}
		return sc.Events().Append(ctx, event(realm, iam.EventInvitationRevoked, "", actorID, now,
			map[string]string{"invitation_id": inv.ID, "organization_id": inv.OrgID}))
	})
	return store.AsIAM(err, "invitation", "")
}

// revoke spends the lock (so a racing accept loses) and marks inv revoked.
func revoke(ctx context.Context, sc store.Scope, inv *iam.Invitation, now time.Time) error {
	switch err := spendInvitation(ctx, sc, inv, now); {
	case errors.Is(err, store.ErrConflict):
		return iam.Errorf(iam.CodePrecondition, "the invitation was already used")
	case err != nil && !errors.Is(err, store.ErrNotFound):
		return err
	}
	inv.Status = iam.InviteRevoked
	return sc.Invitations().Update(ctx, inv)
}

// revokePendingInvitations revokes every pending invitation of the
// organization and returns how many.
func revokePendingInvitations(ctx context.Context, sc store.Scope, orgID string, now time.Time) (int, error) {
	n := 0
	for off := 0; ; off += 1000 {
		list, err := sc.Invitations().List(ctx, orgID, store.Page{Offset: off, Limit: 1000})
		if err != nil || len(list) == 0 {
			return n, err
		}
		for _, inv := range list {
			if inv.Status != iam.InvitePending {
				continue
			}
			if err := revoke(ctx, sc, inv, now); err != nil {
				return n, err
			}
			n++
		}
	}
}

// GetInvitation returns an invitation by id; CodeNotFound if the realm
// has none.
func (s *Service) GetInvitation(ctx context.Context, realm *iam.Realm, invitationID string) (*iam.Invitation, error) {
	if !iam.ValidID(invitationID) {
		return nil, iam.NotFound("invitation")
	}
	inv, err := s.Store.Realm(realm.ID).Invitations().Get(ctx, invitationID)
	return inv, store.AsIAM(err, "invitation", "")
}

// InvitationByToken returns the invitation a link token belongs to,
// whatever its state (a surface shows "accepted", "expired"...);
// CodeNotFound for an unknown token.
func (s *Service) InvitationByToken(ctx context.Context, realm *iam.Realm, token string) (*iam.Invitation, error) {
	if token == "" || len(token) > 256 {
		return nil, iam.NotFound("invitation")
	}
	inv, err := s.Store.Realm(realm.ID).Invitations().GetByTokenHash(ctx, iam.HashToken(token))
	return inv, store.AsIAM(err, "invitation", "")
}

// ListInvitations returns the invitations of one organization (orgRef "":
// of the whole realm), newest first. CodeNotFound for an unknown
// organization (a deleted one's invitations are listed), CodeInvalid for a negative offset or limit.
func (s *Service) ListInvitations(ctx context.Context, realm *iam.Realm, orgRef string, p store.Page) ([]*iam.Invitation, error) {
	if err := checkPage(p); err != nil {
		return nil, err
	}
	sc := s.Store.Realm(realm.ID)
	orgID := ""
	if orgRef != "" {
		o, err := findOrg(ctx, sc, orgRef)
		if err != nil {
			return nil, err
		}
		orgID = o.ID
	}
	list, err := sc.Invitations().List(ctx, orgID, p)
	return list, store.AsIAM(err, "invitation", "")
}
