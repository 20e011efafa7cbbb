package authn

import (
	"context"
	"maps"
	"strings"

	"iamd/authn/password"
	"iamd/directory"
	"iamd/iam"
	"iamd/store"
)

// InvitedSignUp is a sign-up, or the take-over of an account made for
// the person, with an invitation code (document 000's
// SignUpWithInviteRequest). The code is the invitation's token, as the
// invitation message carries it.
type InvitedSignUp struct {
	Code                string
	Email, Phone        string // a new account's; both empty: the invitation's addressee
	FirstName, LastName string // set when given
	Password            string // required
	Source              string // a new account's profile source
	IP                  string
}

// JoinedByInvitation is the result of SignUpWithInvitation and
// ClaimInvitation: the account, its now active membership of the
// invitation's organization, and whether the account was created.
type JoinedByInvitation struct {
	User       *iam.User
	Membership *iam.Membership
	Created    bool
}

// SignUpWithInvitation creates a new account and accepts the invitation
// with it, in one transaction: if the invitation cannot be accepted (or
// another request accepts it first) no account is left behind. The
// invited address is marked verified when the account has it, since the
// code proves its owner read the invitation.
//
// Errors: CodeRateLimited; CodeInvalid naming the bad field ("password"
// when missing or refused by the realm's policy); CodeNotFound for an
// unknown code; CodeExpired; CodePrecondition when the invitation was
// already accepted or revoked; CodeConflict when the username, e-mail or
// phone is taken (ClaimInvitation takes over an existing account).
func (s *Service) SignUpWithInvitation(ctx context.Context, realm *iam.Realm, in InvitedSignUp) (*JoinedByInvitation, error) {
	if !s.Throttle.Allow(in.IP, s.now()) {
		return nil, iam.Errorf(iam.CodeRateLimited, "too many attempts from this address, try again later")
	}
	inv, err := s.Directory.UsableInvitation(ctx, realm, in.Code)
	if err != nil {
		return nil, err
	}
	return s.signUpInvited(ctx, realm, inv, in)
}

func (s *Service) signUpInvited(ctx context.Context, realm *iam.Realm, inv *iam.Invitation, in InvitedSignUp) (*JoinedByInvitation, error) {
	if in.Password == "" {
		return nil, iam.Invalid("password", "password is required")
	}
	nu := directory.NewUser{
		Email: in.Email, Phone: in.Phone, FirstName: strings.TrimSpace(in.FirstName), LastName: strings.TrimSpace(in.LastName),
		Password: in.Password, Profile: iam.Profile{Source: in.Source},
	}
	if strings.TrimSpace(nu.Email) == "" && strings.TrimSpace(nu.Phone) == "" {
		nu.Email, nu.Phone = inv.Email, inv.Phone
	}
	if nu.Username = nu.Email; strings.TrimSpace(nu.Username) == "" {
		nu.Username = nu.Phone
	}
	pu, err := s.Directory.PrepareUser(ctx, realm, nu)
	if err != nil {
		return nil, err
	}
	proveAddress(pu.User, inv)
	out := &JoinedByInvitation{User: pu.User, Created: true}
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		if err := s.Directory.InsertUser(ctx, tx, realm, pu, ""); err != nil {
			return err
		}
		_, m, err := s.Directory.AcceptInvitationIn(ctx, tx, realm, in.Code, pu.User.ID)
		out.Membership = m
		return err
	})
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	return out, nil
}

// ClaimInvitation accepts the invitation for the account of its
// addressee (the live user with the invited e-mail, else phone) and signs
// that account up for good: an account without a password (one an
// administrator made when adding or inviting the person) gets in.Password
// and loses directory.NotUpdatedAttribute; an account with one must give
// it (a wrong one counts toward lockout). When the addressee has no
// account this is SignUpWithInvitation. Names given replace the stored
// ones; the invited address becomes verified. Acceptance and the account
// change commit together.
//
// Errors: as SignUpWithInvitation; those of ConfirmPassword
// (CodeUnauthorized for a wrong password, CodeLocked); CodeForbidden for
// a disabled account.
func (s *Service) ClaimInvitation(ctx context.Context, realm *iam.Realm, in InvitedSignUp) (*JoinedByInvitation, error) {
	if !s.Throttle.Allow(in.IP, s.now()) {
		return nil, iam.Errorf(iam.CodeRateLimited, "too many attempts from this address, try again later")
	}
	inv, err := s.Directory.UsableInvitation(ctx, realm, in.Code)
	if err != nil {
		return nil, err
	}
	byEmail, byPhone, err := s.Directory.UsersByContact(ctx, realm, inv.Email, inv.Phone)
	if err != nil {
		return nil, err
	}
	u := byEmail
	if u == nil {
		u = byPhone
	}
	if u == nil {
		return s.signUpInvited(ctx, realm, inv, in)
	}
	if in.Password == "" {
		return nil, iam.Invalid("password", "password is required")
	}
	hash, err := s.claimPassword(ctx, realm, u, in)
	if err != nil {
		return nil, err
	}
	out := &JoinedByInvitation{}
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		// Accepting first makes a racing claim of the same code fail here.
		_, m, err := s.Directory.AcceptInvitationIn(ctx, tx, realm, in.Code, u.ID)
		if err != nil {
			return err
		}
		out.Membership = m
		out.User, err = s.takeOver(ctx, tx.Realm(realm.ID), realm, u.ID, inv, in, hash)
		return err
	})
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	return out, nil
}

// claimPassword checks the password of a claim: the account's own when it
// has one (returning ""), else a new one, returned hashed.
func (s *Service) claimPassword(ctx context.Context, realm *iam.Realm, u *iam.User, in InvitedSignUp) (string, error) {
	has, err := s.hasPassword(ctx, realm, u.ID)
	if err != nil {
		return "", err
	}
	if has {
		if _, err := s.ConfirmPassword(ctx, realm, u.ID, in.Password, in.IP); err != nil {
			return "", err
		}
	} else if u.Lockout.Locked(s.now()) {
		return "", lockedError()
	}
	if !u.Enabled {
		return "", iam.Errorf(iam.CodeForbidden, "the account is disabled")
	}
	if has {
		return "", nil
	}
	if err := password.CheckPolicy(realm.Settings.Password, in.Password, u.Username, u.Email); err != nil {
		return "", err
	}
	h, err := s.Passwords.Hash(ctx, in.Password)
	if err != nil {
		return "", iam.Internal(err)
	}
	return h, nil
}

// takeOver stores the claimed account: the new password hash (if any),
// the names given, the proven address, and no NotUpdatedAttribute or
// CreatedForAttribute.
func (s *Service) takeOver(ctx context.Context, sc store.Scope, realm *iam.Realm, userID string, inv *iam.Invitation, in InvitedSignUp, hash string) (*iam.User, error) {
	now := s.now()
	u, err := sc.Users().Get(ctx, userID)
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	if hash != "" {
		creds, err := sc.Credentials().List(ctx, u.ID, iam.CredPassword)
		if err != nil {
			return nil, err
		}
		if len(creds) > 0 {
			return nil, iam.Errorf(iam.CodeConflict, "the account got a password meanwhile; sign in with it")
		}
		c := &iam.Credential{ID: iam.NewID(), RealmID: realm.ID, UserID: u.ID, Type: iam.CredPassword, Secret: hash, CreatedAt: now, UpdatedAt: now}
		if err := sc.Credentials().Create(ctx, c); err != nil {
			return nil, err
		}
		if err := sc.Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: iam.EventPasswordChanged, UserID: u.ID, ActorID: u.ID,
			Detail: map[string]string{"by": "invitation"}, CreatedAt: now}); err != nil {
			return nil, err
		}
	}
	if v := strings.TrimSpace(in.FirstName); v != "" {
		u.FirstName = v
	}
	if v := strings.TrimSpace(in.LastName); v != "" {
		u.LastName = v
	}
	// Taken over: the organization that made the account no longer acts
	// on it through a waiting membership (directory.CreatedForAttribute).
	for _, attr := range []string{directory.NotUpdatedAttribute, directory.CreatedForAttribute} {
		if _, ok := u.Attributes[attr]; ok {
			u.Attributes = maps.Clone(u.Attributes)
			delete(u.Attributes, attr)
		}
	}
	proveAddress(u, inv)
	if err := iam.NormalizeUser(u, realm.Settings.PhoneRegion); err != nil {
		return nil, err
	}
	u.UpdatedAt = now
	if err := sc.Users().Update(ctx, u); err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	return u, sc.Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: iam.EventUserUpdated, UserID: u.ID, ActorID: u.ID,
		Detail: map[string]string{"by": "invitation", "invitation_id": inv.ID}, CreatedAt: now})
}

// proveAddress marks verified the address of u the invitation was sent
// to (its e-mail when it has one, else its phone: see directory.Invite),
// when u has it.
func proveAddress(u *iam.User, inv *iam.Invitation) {
	switch {
	case inv.Email != "":
		if u.Email != "" && iam.FoldKey(u.Email) == iam.FoldKey(inv.Email) {
			u.EmailVerified = true
			u.RequiredActions = without(u.RequiredActions, iam.ActionVerifyEmail)
		}
	case inv.Phone != "" && u.Phone == inv.Phone:
		u.PhoneVerified = true
	}
}
