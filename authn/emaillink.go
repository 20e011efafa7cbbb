package authn

import (
	"context"
	"errors"

	"iamd/authn/password"
	"iamd/iam"
	"iamd/store"
)

// Linking gives a user who signed up with a contact number an e-mail
// address (and, with it, a password) to sign in on the web: LinkEmail
// sends a code to the address, ConfirmEmailLink takes the code and the
// password and links the address, verified. The address is stored only
// then, so an unproven address never blocks its real owner. The pending
// address is kept with the code, found again by userHandle.

// LinkEmail sends the signed-in user a code to link email. linked is
// true, and nothing is sent, when the user already has a verified e-mail
// address: it must be de-linked first (document 000 answers 208).
//
// Errors: CodeRateLimited; CodeInvalid ("email") for a malformed address;
// CodeNotFound, CodeForbidden for a missing or disabled user;
// CodeConflict when another user has the address.
func (s *Service) LinkEmail(ctx context.Context, realm *iam.Realm, userID, email, ip string) (ic *IssuedCode, linked bool, err error) {
	if !s.Throttle.Allow(ip, s.now()) {
		return nil, false, iam.Errorf(iam.CodeRateLimited, "too many attempts from this address, try again later")
	}
	if email, err = iam.NormalizeEmail(email); err != nil {
		return nil, false, err
	}
	u, err := s.liveUser(ctx, realm, userID)
	if err != nil {
		return nil, false, err
	}
	if u.Email != "" && u.EmailVerified {
		return nil, true, nil
	}
	if err := s.emailFree(ctx, realm, u.ID, email); err != nil {
		return nil, false, err
	}
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		ic, err = s.IssueCode(ctx, tx, CodeRequest{
			Realm: realm, UserID: u.ID, Purpose: iam.PurposeVerifyEmail, Channel: iam.ChannelEmail, To: email,
			Username: u.Username, Handle: s.userHandle(handleEmailLink, u.ID, ""), Data: map[string]string{"email": email},
		})
		return err
	})
	return ic, false, store.AsIAM(err, "user", "")
}

// RegenerateEmailLink sends a new code for the address the user's newest
// LinkEmail was for (the earlier code stops counting).
//
// Errors: as LinkEmail; CodeNotFound when no link was asked for;
// CodePrecondition when the user already has a verified e-mail address.
func (s *Service) RegenerateEmailLink(ctx context.Context, realm *iam.Realm, userID, ip string) (*IssuedCode, error) {
	c, err := s.pendingLink(ctx, realm, userID)
	if err != nil {
		return nil, err
	}
	ic, linked, err := s.LinkEmail(ctx, realm, userID, c.Data["email"], ip)
	if err == nil && linked {
		err = iam.Errorf(iam.CodePrecondition, "the account already has a verified e-mail address")
	}
	return ic, err
}

// ConfirmEmailLink checks code against the user's newest LinkEmail code
// and links its address, verified. pw is the password to sign in with:
// a user who has one must give it (proving it is them at the keyboard);
// a user without one sets it now, within the realm's password policy.
// The password is checked before the code, so that a wrong one does not
// use the code up.
//
// Errors: CodeNotFound when no link was asked for; CodeInvalid
// ("password") for a password the policy refuses; CodeUnauthorized
// ("password") for a wrong password, ("code") for a wrong code with the
// attempts left; CodeExpired; CodePrecondition for a used code or one out
// of attempts; CodeLocked; CodeRateLimited; CodeConflict when another
// user took the address meanwhile.
func (s *Service) ConfirmEmailLink(ctx context.Context, realm *iam.Realm, userID, code, pw, ip string) (*iam.User, error) {
	c, err := s.pendingLink(ctx, realm, userID)
	if err != nil {
		return nil, err
	}
	u, err := s.liveUser(ctx, realm, userID)
	if err != nil {
		return nil, err
	}
	has, err := s.hasPassword(ctx, realm, userID)
	if err != nil {
		return nil, err
	}
	var hash *string
	if has {
		err = s.confirmOwnPassword(ctx, realm, userID, pw, ip)
	} else if err = password.CheckPolicy(realm.Settings.Password, pw, u.Username, c.Data["email"]); err == nil {
		var h string
		if h, err = s.Passwords.Hash(ctx, pw); err != nil {
			return nil, iam.Internal(err)
		}
		hash = &h
	}
	if err != nil {
		return nil, err
	}
	if _, err := s.verifyUserCode(ctx, realm, c.Handle, iam.PurposeVerifyEmail, code, ip); err != nil {
		return nil, err
	}
	return s.setEmail(ctx, realm, userID, c.Data["email"], hash)
}

// pendingLink is the user's newest LinkEmail code; CodeNotFound if none.
func (s *Service) pendingLink(ctx context.Context, realm *iam.Realm, userID string) (*iam.OneTimeCode, error) {
	c, err := s.Store.Realm(realm.ID).Codes().GetByHandle(ctx, s.userHandle(handleEmailLink, userID, ""), iam.PurposeVerifyEmail)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (c.UserID != userID || c.Data["email"] == "")) {
		return nil, iam.NotFound("e-mail link request")
	}
	return c, store.AsIAM(err, "code", "")
}
