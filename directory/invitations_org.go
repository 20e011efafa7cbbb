package directory

import (
	"context"
	"errors"
	"strings"

	"iamd/iam"
	"iamd/store"
)

// InviteExpired is the state InvitationStatus reports for a pending
// invitation past its expiry (iam.Invitation keeps "pending").
const InviteExpired = "expired"

// InviteByAdmin asks to invite someone, by e-mail or phone, into an
// organization an administrator (Actor) administers.
type InviteByAdmin struct {
	OrgRef string
	Actor  Actor
	Email  string // the code goes here when set
	Phone  string // else here, by SMS
	Roles  []iam.OrgRole
}

// InviteToOrganization is Invite on behalf of an organization
// administrator: the code (the invitation token) goes to the person by
// e-mail or SMS through the outbox, in the same transaction. No account
// is made; the person signs up or signs in with the code.
//
// Errors: those of AdministeredOrganization and Invite; CodeConflict when
// a live user with that e-mail or phone is already an active member.
func (s *Service) InviteToOrganization(ctx context.Context, realm *iam.Realm, in InviteByAdmin) (*IssuedInvitation, error) {
	var out *IssuedInvitation
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		o, err := s.administeredOrg(ctx, tx, realm, in.OrgRef, in.Actor)
		if err != nil {
			return err
		}
		for _, q := range addresseeQueries(realm, in.Email, in.Phone) {
			u, err := liveUserWhere(ctx, sc, q)
			if err != nil || u == nil {
				if err != nil {
					return err
				}
				continue
			}
			m, err := sc.Organizations().GetMember(ctx, o.ID, u.ID)
			if err == nil && m.Active() {
				return iam.Errorf(iam.CodeConflict, "the person is already a member of the organization")
			}
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return err
			}
		}
		out, err = s.InsertInvitation(ctx, tx, realm, NewInvitation{
			OrgRef: o.ID, Email: in.Email, Phone: in.Phone, Roles: in.Roles, InvitedBy: in.Actor.UserID,
		})
		return err
	})
	if err != nil {
		return nil, store.AsIAM(err, "invitation", "")
	}
	return out, nil
}

// addresseeQueries look up the users with e-mail email and phone phone
// (malformed ones are left to Invite to refuse).
func addresseeQueries(realm *iam.Realm, email, phone string) []store.UserQuery {
	var qs []store.UserQuery
	if e, err := iam.NormalizeEmail(email); err == nil {
		qs = append(qs, store.UserQuery{Email: e})
	}
	if p, err := iam.NormalizePhone(phone, realm.Settings.PhoneRegion); err == nil {
		qs = append(qs, store.UserQuery{Phone: p})
	}
	return qs
}

// InvitationCheck is what CheckInvitation finds: the pending invitation,
// its organization, and the live account of the invited address, if
// there is one (nil when the person has yet to sign up).
type InvitationCheck struct {
	Invitation   *iam.Invitation
	Organization *iam.Organization
	User         *iam.User
}

// CheckInvitation confirms that token is the code of the pending
// invitation invitationID sent to email or phone, without using it. Every
// given address the invitation has must be the invitation's, and at
// least one must be given.
//
// Errors: CodeNotFound for an unknown token, another invitation's id, an
// address that is not the invitation's, or a deleted organization;
// CodeExpired after the expiry; CodePrecondition when it was accepted or
// revoked.
func (s *Service) CheckInvitation(ctx context.Context, realm *iam.Realm, token, invitationID, email, phone string) (*InvitationCheck, error) {
	inv, err := s.InvitationByToken(ctx, realm, token)
	if err != nil {
		return nil, err
	}
	if inv.ID != invitationID || !addressedTo(realm, inv, email, phone) {
		return nil, iam.NotFound("invitation")
	}
	if err := usable(inv, s.now()); err != nil {
		return nil, err
	}
	sc := s.Store.Realm(realm.ID)
	o, err := liveOrg(ctx, sc, inv.OrgID)
	if err != nil {
		return nil, err
	}
	out := &InvitationCheck{Invitation: inv, Organization: o}
	for _, q := range addresseeQueries(realm, inv.Email, inv.Phone) {
		if out.User, err = liveUserWhere(ctx, sc, q); err != nil || out.User != nil {
			return out, err
		}
	}
	return out, nil
}

// addressedTo reports whether the given e-mail and phone name inv's
// addressee: each one given that inv has matches, and one at least does.
func addressedTo(realm *iam.Realm, inv *iam.Invitation, email, phone string) bool {
	matched := false
	if strings.TrimSpace(email) != "" && inv.Email != "" {
		e, err := iam.NormalizeEmail(email)
		if err != nil || iam.FoldKey(e) != iam.FoldKey(inv.Email) {
			return false
		}
		matched = true
	}
	if strings.TrimSpace(phone) != "" && inv.Phone != "" {
		p, err := iam.NormalizePhone(phone, realm.Settings.PhoneRegion)
		if err != nil || p != inv.Phone {
			return false
		}
		matched = true
	}
	return matched
}

// InvitationStatus returns the state of the invitation whose token (code)
// is token: iam.InvitePending, iam.InviteAccepted, iam.InviteRevoked, or
// InviteExpired for a pending one past its expiry. CodeNotFound for an
// unknown token.
func (s *Service) InvitationStatus(ctx context.Context, realm *iam.Realm, token string) (string, error) {
	inv, err := s.InvitationByToken(ctx, realm, token)
	if err != nil {
		return "", err
	}
	if inv.Status == iam.InvitePending && !s.now().Before(inv.ExpiresAt) {
		return InviteExpired, nil
	}
	return inv.Status, nil
}

// UsableInvitation returns the invitation whose token is token when it
// can still be accepted. Errors: CodeNotFound for an unknown token;
// CodeExpired after the expiry; CodePrecondition when it was accepted or
// revoked.
func (s *Service) UsableInvitation(ctx context.Context, realm *iam.Realm, token string) (*iam.Invitation, error) {
	inv, err := s.InvitationByToken(ctx, realm, token)
	if err != nil {
		return nil, err
	}
	if err := usable(inv, s.now()); err != nil {
		return nil, err
	}
	return inv, nil
}
