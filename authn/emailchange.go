package authn

import (
	"context"

	"iamd/iam"
	"iamd/store"
)

// StartEmailChange begins moving the signed-in user's e-mail to newEmail:
// after the user confirms their password, a code goes to newEmail (the
// new address must prove it is theirs); ConfirmEmailChange with the
// code's Handle (the session) and the code makes the change. The code
// lives for the realm's code lifetime.
//
// Errors: CodeRateLimited; CodeInvalid ("email") for a malformed
// address; CodeNotFound, CodeForbidden for a missing or disabled user;
// CodePrecondition when newEmail already is the user's address;
// CodeUnauthorized ("password") for a wrong password or a user without
// one; CodeLocked; CodeConflict when another user has newEmail.
func (s *Service) StartEmailChange(ctx context.Context, realm *iam.Realm, userID, newEmail, password, ip string) (*IssuedCode, error) {
	newEmail, err := iam.NormalizeEmail(newEmail)
	if err != nil {
		return nil, err
	}
	u, err := s.liveUser(ctx, realm, userID)
	if err != nil {
		return nil, err
	}
	if iam.FoldKey(u.Email) == iam.FoldKey(newEmail) {
		return nil, iam.Errorf(iam.CodePrecondition, "%s already is the account's e-mail address", newEmail)
	}
	if err := s.confirmOwnPassword(ctx, realm, u.ID, password, ip); err != nil {
		return nil, err
	}
	if err := s.emailFree(ctx, realm, u.ID, newEmail); err != nil {
		return nil, err
	}
	var ic *IssuedCode
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		ic, err = s.IssueCode(ctx, tx, CodeRequest{
			Realm: realm, UserID: u.ID, Purpose: iam.PurposeEmailChange, Channel: iam.ChannelEmail, To: newEmail,
			Username: u.Username, Data: map[string]string{"email": newEmail},
		})
		return err
	})
	return ic, store.AsIAM(err, "user", "")
}

// ConfirmEmailChange checks code against the e-mail change session (the
// Handle StartEmailChange returned) of the user, for newEmail, and makes
// newEmail the user's verified e-mail. A username that was the old e-mail
// becomes the new one, so that the old address signs nobody in.
//
// Errors: CodeInvalid ("email") for a malformed address; CodeNotFound for
// a session that is unknown, another user's, or for another address;
// CodeUnauthorized ("code") for a wrong code, with the attempts left;
// CodeExpired; CodePrecondition for a used code or one out of attempts;
// CodeLocked; CodeRateLimited; CodeConflict when another user took
// newEmail meanwhile.
func (s *Service) ConfirmEmailChange(ctx context.Context, realm *iam.Realm, userID, session, newEmail, code, ip string) (*iam.User, error) {
	newEmail, err := iam.NormalizeEmail(newEmail)
	if err != nil {
		return nil, err
	}
	// The session must be this user's and for this address before an
	// attempt is spent on it.
	if err := s.ownCode(ctx, realm, userID, session, iam.PurposeEmailChange, newEmail); err != nil {
		return nil, err
	}
	if _, err := s.verifyUserCode(ctx, realm, session, iam.PurposeEmailChange, code, ip); err != nil {
		return nil, err
	}
	return s.setEmail(ctx, realm, userID, newEmail, nil)
}

// ownCode returns CodeNotFound unless the code of handle and purpose
// belongs to userID and was sent to address.
func (s *Service) ownCode(ctx context.Context, realm *iam.Realm, userID, handle, purpose, address string) error {
	if handle == "" || len(handle) > 128 {
		return iam.NotFound("code")
	}
	c, err := s.Store.Realm(realm.ID).Codes().GetByHandle(ctx, handle, purpose)
	if err != nil {
		return store.AsIAM(err, "code", "")
	}
	if c.UserID != userID || iam.FoldKey(c.Target) != iam.FoldKey(address) {
		return iam.NotFound("code")
	}
	return nil
}

// emailFree returns CodeConflict when a live user other than userID has
// the e-mail address.
func (s *Service) emailFree(ctx context.Context, realm *iam.Realm, userID, email string) error {
	other, _, err := s.Directory.UsersByContact(ctx, realm, email, "")
	if err != nil {
		return err
	}
	if other != nil && other.ID != userID {
		return iam.Conflict("another account has the e-mail address %s", email)
	}
	return nil
}

// setEmail makes email the verified e-mail of the live user in one
// transaction with passwordHash (when not nil: the user's first password)
// and an audit event. A username that was the old e-mail follows.
func (s *Service) setEmail(ctx context.Context, realm *iam.Realm, userID, email string, passwordHash *string) (*iam.User, error) {
	now := s.now()
	var u *iam.User
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		var err error
		if u, err = txLiveUser(ctx, sc, userID); err != nil {
			return err
		}
		fields := "email,emailVerified"
		if u.Email != "" && iam.FoldKey(u.Username) == iam.FoldKey(u.Email) {
			u.Username, fields = email, fields+",username"
		}
		u.Email, u.EmailVerified, u.UpdatedAt = email, true, now
		u.RequiredActions = without(u.RequiredActions, iam.ActionVerifyEmail)
		if err := sc.Users().Update(ctx, u); err != nil {
			return store.AsIAM(err, "user", "another account has the e-mail address "+email)
		}
		if passwordHash != nil {
			// The password was found missing before the transaction;
			// one set meanwhile is not overwritten.
			existing, err := sc.Credentials().List(ctx, u.ID, iam.CredPassword)
			if err != nil {
				return store.AsIAM(err, "credential", "")
			}
			if len(existing) > 0 {
				return &iam.Error{Code: iam.CodePrecondition, Field: "password", Message: "the account got a password meanwhile"}
			}
			c := &iam.Credential{ID: iam.NewID(), RealmID: realm.ID, UserID: u.ID, Type: iam.CredPassword, Secret: *passwordHash, CreatedAt: now, UpdatedAt: now}
			if err := sc.Credentials().Create(ctx, c); err != nil {
				return store.AsIAM(err, "user", "")
			}
			fields += ",password"
		}
		return sc.Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: iam.EventUserUpdated, UserID: u.ID, ActorID: u.ID,
			Detail: map[string]string{"fields": fields}, CreatedAt: now})
	})
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	return u, nil
}
