package directory

import (
	"context"
	"errors"
	"strings"

	"iamd/iam"
	"iamd/store"
)

// NotUpdatedAttribute marks an account an organization administrator made
// for someone they added or invited (document 000's userNotUpdated): the
// person has not taken it over yet. It holds "true" until they do.
const NotUpdatedAttribute = "userNotUpdated"

// CreatedForAttribute holds the id of the organization whose
// administrator made the account (AddPerson for someone who had none).
// While the person has not taken the account over (NotUpdatedAttribute
// "true"), that organization's administrators act on it even before the
// person accepts the invitation (document 000's users/invite/{id}); an
// account that existed before an invitation never gets it, so inviting
// someone gives no rights over them. No /v1/iam operation sets it, and
// taking the account over removes it.
const CreatedForAttribute = "createdForOrganization"

// PersonToAdd asks to add a person to an organization, or to invite them.
//
// The person is the live user with numeric id UserNum when it is set;
// else the live user with e-mail Email, else with phone Phone, else with
// username, e-mail or phone Login. When there is none, an account is made
// for them from Email (which is also its username), Phone, the names and
// Password, marked NotUpdatedAttribute.
type PersonToAdd struct {
	OrgRef string
	Actor  Actor

	UserNum                           int64
	Login                             string
	Email, Phone, FirstName, LastName string
	Password                          string // a new account's; ignored for an existing user
	Source                            string // a new account's profile source

	Roles []iam.OrgRole // at least one; App is a client id or app name
	// Invite makes the membership wait for the person: it is stored
	// inactive and an invitation code goes to them; accepting it
	// (AcceptInvitation) activates the membership. Without Invite the
	// membership is active at once, and a new account without a password
	// is still sent an invitation, which is how its owner gets in.
	//
	// Only a realm administrator adds an existing account at once: for
	// anyone else an existing account is always invited (nobody joins an
	// organization without saying so), and UserNum names only someone the
	// actor already acts on through the organization (see orgActsOn).
	Invite bool
}

// AddedPerson is the result of AddPerson.
type AddedPerson struct {
	User         *iam.User
	Organization *iam.Organization
	Membership   *iam.Membership
	Invitation   *IssuedInvitation // nil when no invitation was sent
	UserCreated  bool
	// Existed says the person already had a membership and nothing
	// changed (document 000 answers 208). For an inactive membership that
	// waits for an invitation, Invite sends a new invitation instead.
	Existed bool
	// Withheld says the account existed before and was only invited: the
	// actor has no rights over it (see AccessUser) until the person
	// accepts, so an answer must show nothing stored of it — only what
	// the caller sent.
	Withheld bool
}

// AddPerson adds in's person to the organization in.OrgRef with in.Roles,
// or invites them (see PersonToAdd.Invite), in one transaction: the
// account, the membership, the invitation and its message all commit or
// none does. in.Actor must administer the organization.
//
// Errors: those of AdministeredOrganization; CodeInvalid naming the bad
// field ("userNum" for an unknown one, asked by a realm administrator;
// "roles" for no role or a role of an unknown app; "email" when a new
// account would have neither e-mail nor phone; "password" for one the
// realm's policy refuses); CodeForbidden when an organization
// administrator's UserNum names anyone they do not act on through the
// organization, an unknown id included; CodeConflict when a new
// account's e-mail or phone is taken.
func (s *Service) AddPerson(ctx context.Context, realm *iam.Realm, in PersonToAdd) (*AddedPerson, error) {
	if len(in.Roles) == 0 {
		return nil, iam.Invalid("roles", "at least one role is required")
	}
	// Someone who may not add people learns nothing about them: the
	// right is checked first (and again inside the transaction).
	first, err := s.AdministeredOrganization(ctx, realm, in.OrgRef, in.Actor)
	if err != nil {
		return nil, err
	}
	// Hash a new account's password before the transaction (it is slow);
	// the transaction looks the person up again and drops it if they exist.
	var pu *PreparedUser
	if u, err := lookUpPerson(ctx, s.Store.Realm(realm.ID), realm, first.ID, in); err != nil {
		return nil, err
	} else if u == nil {
		if pu, err = s.prepareInvitee(ctx, realm, first.ID, in); err != nil {
			return nil, err
		}
	}
	out := &AddedPerson{}
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		o, err := s.administeredOrg(ctx, tx, realm, in.OrgRef, in.Actor)
		if err != nil {
			return err
		}
		out.Organization = o
		roles, err := normalizeOrgRoles(ctx, sc, in.Roles)
		if err != nil {
			return err
		}
		u, err := lookUpPerson(ctx, sc, realm, o.ID, in)
		if err != nil {
			return err
		}
		switch {
		case u == nil:
			if pu == nil { // someone deleted the person since the first look
				return iam.Errorf(iam.CodeConflict, "the user changed meanwhile; try again")
			}
			if err := s.InsertUser(ctx, tx, realm, pu, in.Actor.UserID); err != nil {
				return err
			}
			u, out.UserCreated = pu.User, true
		case !in.Actor.RealmAdmin:
			// An existing account joins only by accepting an invitation.
			in.Invite = true
		}
		out.User = u
		if err := s.join(ctx, tx, realm, o, u, roles, in, out); err != nil {
			return err
		}
		out.Withheld = !in.Actor.RealmAdmin && !out.UserCreated && !orgActsOn(u, out.Membership)
		return nil
	})
	if err != nil {
		return nil, store.AsIAM(err, "membership", "")
	}
	return out, nil
}

// join makes u's membership of o and sends the invitation the case needs.
func (s *Service) join(ctx context.Context, tx store.Tx, realm *iam.Realm, o *iam.Organization, u *iam.User, roles []iam.OrgRole, in PersonToAdd, out *AddedPerson) error {
	sc := tx.Realm(realm.ID)
	m, err := sc.Organizations().GetMember(ctx, o.ID, u.ID)
	switch {
	case err == nil:
		out.Membership = m
		if !in.Invite || m.Active() {
			out.Existed = true
			return nil
		}
		// An invited member not in yet: send a new invitation.
	case !errors.Is(err, store.ErrNotFound):
		return err
	default:
		now := s.now()
		m = &iam.Membership{OrgID: o.ID, UserID: u.ID, Roles: roles, Status: memberActive, CreatedAt: now, UpdatedAt: now}
		if in.Invite {
			m.Status = memberInactive
		}
		if err := sc.Organizations().PutMember(ctx, m); err != nil {
			return err
		}
		out.Membership = m
		if err := sc.Events().Append(ctx, memberEvent(realm, iam.EventMemberAdded, o, m, in.Actor.UserID, now)); err != nil {
			return err
		}
		if !in.Invite && !(out.UserCreated && in.Password == "") {
			return nil
		}
	}
	if u.Email == "" && u.Phone == "" {
		return iam.Invalid("email", "the user has neither an e-mail address nor a phone number to send the invitation to")
	}
	out.Invitation, err = s.InsertInvitation(ctx, tx, realm, NewInvitation{
		OrgRef: o.ID, Email: u.Email, Phone: u.Phone, Roles: roles, InvitedBy: in.Actor.UserID,
	})
	return err
}

// prepareInvitee checks and prepares the account of a person who has
// none, made for the organization orgID (CreatedForAttribute).
func (s *Service) prepareInvitee(ctx context.Context, realm *iam.Realm, orgID string, in PersonToAdd) (*PreparedUser, error) {
	if in.UserNum > 0 {
		return nil, iam.Invalid("userNum", "no user has the numeric id %d", in.UserNum)
	}
	if strings.TrimSpace(in.Email) == "" && strings.TrimSpace(in.Phone) == "" {
		return nil, iam.Invalid("email", "an e-mail address or a phone number is required for someone who has no account")
	}
	nu := NewUser{
		Username: in.Email, Email: in.Email, Phone: in.Phone, FirstName: in.FirstName, LastName: in.LastName,
		Password: in.Password, Attributes: map[string][]string{NotUpdatedAttribute: {"true"}, CreatedForAttribute: {orgID}},
		Profile: iam.Profile{Source: in.Source},
	}
	if strings.TrimSpace(nu.Username) == "" {
		nu.Username = in.Phone
	}
	return s.PrepareUser(ctx, realm, nu)
}

// lookUpPerson is findPerson for adding to the organization orgID: an
// organization administrator's numeric id must name someone they already
// act on through it (orgActsOn); anyone else, an unknown id included, is
// CodeForbidden, so that walking the ids neither adds nor reveals anyone.
func lookUpPerson(ctx context.Context, sc store.Scope, realm *iam.Realm, orgID string, in PersonToAdd) (*iam.User, error) {
	u, err := findPerson(ctx, sc, realm, in)
	if err != nil || in.UserNum <= 0 || in.Actor.RealmAdmin {
		return u, err
	}
	if u != nil {
		m, err := sc.Organizations().GetMember(ctx, orgID, u.ID)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, store.AsIAM(err, "membership", "")
		}
		if err == nil && orgActsOn(u, m) {
			return u, nil
		}
	}
	return nil, iam.Errorf(iam.CodeForbidden, "an organization administrator names the person to add by e-mail or phone (an invitation); a numeric id only names the organization's own people")
}

// findPerson returns in's live person, or nil when there is none.
func findPerson(ctx context.Context, sc store.Scope, realm *iam.Realm, in PersonToAdd) (*iam.User, error) {
	if in.UserNum > 0 {
		u, err := sc.Users().GetByNum(ctx, in.UserNum)
		if errors.Is(err, store.ErrNotFound) || (err == nil && u.Deleted()) {
			return nil, nil
		}
		return u, store.AsIAM(err, "user", "")
	}
	if strings.TrimSpace(in.Email) != "" {
		email, err := iam.NormalizeEmail(in.Email)
		if err != nil {
			return nil, err
		}
		return liveUserWhere(ctx, sc, store.UserQuery{Email: email})
	}
	if strings.TrimSpace(in.Phone) != "" {
		phone, err := iam.NormalizePhone(in.Phone, realm.Settings.PhoneRegion)
		if err != nil {
			return nil, err
		}
		return liveUserWhere(ctx, sc, store.UserQuery{Phone: phone})
	}
	if login := strings.TrimSpace(in.Login); login != "" && len(login) <= 320 {
		u, err := sc.Users().Find(ctx, login)
		if errors.Is(err, store.ErrNotFound) {
			return nil, nil
		}
		return u, store.AsIAM(err, "user", "")
	}
	return nil, nil
}

// liveUserWhere returns the one live user q matches, or nil.
func liveUserWhere(ctx context.Context, sc store.Scope, q store.UserQuery) (*iam.User, error) {
	q.Page = store.Page{Limit: 1}
	list, _, err := sc.Users().List(ctx, q)
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	if len(list) == 0 || list[0].Deleted() {
		return nil, nil
	}
	return list[0], nil
}
