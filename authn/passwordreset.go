package authn

import (
	"context"
	"strings"

	"iamd/directory"
	"iamd/iam"
	"iamd/store"
)

// A forgotten password is reset with a numeric code sent to the user:
// StartPasswordReset sends it, ConfirmPasswordReset takes it with the new
// password. The client keeps no session between the two (document 000's
// confirm request carries only the login, the code and the password), so
// the code's handle is the user's id: only the newest code counts.

// StartPasswordReset sends the user login names a password reset code:
// by e-mail when login is an e-mail address, by SMS when it is a phone
// number, and for a plain username to the user's e-mail, or phone when
// they have no e-mail. The code has the realm's OTP failure limit of
// attempts and lives for the realm's code lifetime; it and its message
// commit together.
//
// Errors: CodeRateLimited; CodeInvalid ("login") for a malformed e-mail
// address; CodeNotFound when no live user has that login;
// CodePrecondition when the user has neither e-mail nor phone;
// CodeForbidden for a disabled user; CodeLocked for a locked one.
func (s *Service) StartPasswordReset(ctx context.Context, realm *iam.Realm, login, ip string) (*IssuedCode, error) {
	now := s.now()
	if !s.Throttle.Allow(ip, now) {
		return nil, iam.Errorf(iam.CodeRateLimited, "too many attempts from this address, try again later")
	}
	u, channel, to, err := s.resetTarget(ctx, realm, login)
	if err != nil {
		return nil, err
	}
	if !u.Enabled {
		return nil, iam.Errorf(iam.CodeForbidden, "the account is disabled")
	}
	if u.Lockout.Locked(now) {
		return nil, lockedError()
	}
	var ic *IssuedCode
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		var err error
		ic, err = s.IssueCode(ctx, tx, CodeRequest{
			Realm: realm, UserID: u.ID, Purpose: iam.PurposeResetPass, Channel: channel, To: to, Username: u.Username, Handle: u.ID,
		})
		if err != nil {
			return err
		}
		return tx.Realm(realm.ID).Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: iam.EventPasswordResetRequested,
			UserID: u.ID, IP: ip, Detail: map[string]string{"channel": channel}, CreatedAt: now})
	})
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	return ic, nil
}

// ConfirmPasswordReset checks code against the newest reset code of the
// user login names and makes newPassword their password; it returns the
// code's attempts left. The new password is checked against the realm's
// policy and history first, so a refused one does not spend the code. On
// success every session and refresh token of the user is revoked
// (directory.ChangePassword), and the address the code went to counts as
// verified.
//
// Errors: CodeInvalid ("login"; "password" for a password the policy or
// history refuses); CodeNotFound for an unknown login or when no code was
// requested; those of VerifyCode (CodeUnauthorized for a wrong code and
// CodeLocked as *CodeRejected with the attempts left, CodeExpired,
// CodePrecondition for a used code or one out of attempts,
// CodeRateLimited).
func (s *Service) ConfirmPasswordReset(ctx context.Context, realm *iam.Realm, login, code, newPassword, ip string) (int, error) {
	u, _, _, err := s.resetTarget(ctx, realm, login)
	if err != nil {
		return 0, err
	}
	if err := s.Directory.CheckNewPassword(ctx, realm, u.ID, newPassword); err != nil {
		return 0, err
	}
	c, err := s.VerifyCode(ctx, realm, u.ID, iam.PurposeResetPass, code, ip)
	if err != nil {
		return 0, err
	}
	if c.UserID != u.ID {
		return 0, iam.NotFound("code")
	}
	if err := s.Directory.ChangePassword(ctx, realm, u.ID, newPassword, directory.PasswordChange{By: "reset", ActorID: u.ID}); err != nil {
		return 0, err
	}
	return c.AttemptsLeft, s.verifiedByReset(ctx, realm, u.ID, c.Target)
}

// verifiedByReset marks the address a reset code went to verified: the
// user proved they receive it.
func (s *Service) verifiedByReset(ctx context.Context, realm *iam.Realm, userID, target string) error {
	sc := s.Store.Realm(realm.ID)
	u, err := sc.Users().Get(ctx, userID)
	if err != nil {
		return store.AsIAM(err, "user", "")
	}
	switch {
	case u.Email != "" && iam.FoldKey(u.Email) == iam.FoldKey(target) && !u.EmailVerified:
		return s.markVerified(ctx, sc, realm, u, true, s.now())
	case u.Phone != "" && u.Phone == target && !u.PhoneVerified:
		return s.markVerified(ctx, sc, realm, u, false, s.now())
	}
	return nil
}

// resetTarget finds the live user login names and where a reset code for
// them goes (see StartPasswordReset).
func (s *Service) resetTarget(ctx context.Context, realm *iam.Realm, login string) (u *iam.User, channel, to string, err error) {
	login = strings.TrimSpace(login)
	if login == "" || len(login) > 320 {
		return nil, "", "", iam.Invalid("login", "a username, e-mail address or phone number is required")
	}
	if strings.Contains(login, "@") {
		if _, err := iam.NormalizeEmail(login); err != nil {
			return nil, "", "", iam.Invalid("login", "%q is not a valid e-mail address", login)
		}
		if u, _, err = s.Directory.UsersByContact(ctx, realm, login, ""); err != nil {
			return nil, "", "", err
		}
		if u == nil {
			return nil, "", "", iam.NotFound("user")
		}
		return u, iam.ChannelEmail, u.Email, nil
	}
	if phone, perr := iam.NormalizePhone(login, realm.Settings.PhoneRegion); perr == nil {
		if _, u, err = s.Directory.UsersByContact(ctx, realm, "", phone); err != nil {
			return nil, "", "", err
		}
		if u != nil {
			return u, iam.ChannelSMS, u.Phone, nil
		}
	}
	if u, err = s.Directory.FindUser(ctx, realm, login); err != nil {
		return nil, "", "", err
	}
	switch {
	case u.Email != "":
		return u, iam.ChannelEmail, u.Email, nil
	case u.Phone != "":
		return u, iam.ChannelSMS, u.Phone, nil
	}
	return nil, "", "", iam.Errorf(iam.CodePrecondition, "the account has no e-mail address or phone number to send a code to")
}
