package authn

import (
	"context"

	"iamd/iam"
	"iamd/store"
)

// StartPhoneSignIn sends the live user whose phone is phone (normalised
// with the realm's region) a sign-in code by SMS and returns it; the
// code's Handle is the "session" the client presents with the code to
// VerifyPhoneSignIn. The code allows the realm's OTP failure limit of
// attempts and lives for the realm's code lifetime.
//
// Errors: CodeRateLimited; CodeInvalid ("phone") for a malformed number;
// CodeNotFound when no user has it; CodeForbidden for a disabled user;
// CodeLocked for a locked one.
func (s *Service) StartPhoneSignIn(ctx context.Context, realm *iam.Realm, phone, ip string) (*IssuedCode, error) {
	if !s.Throttle.Allow(ip, s.now()) {
		return nil, iam.Errorf(iam.CodeRateLimited, "too many attempts from this address, try again later")
	}
	phone, err := iam.NormalizePhone(phone, realm.Settings.PhoneRegion)
	if err != nil {
		return nil, err
	}
	_, u, err := s.Directory.UsersByContact(ctx, realm, "", phone)
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, iam.NotFound("user")
	}
	if !u.Enabled {
		return nil, iam.Errorf(iam.CodeForbidden, "the account is disabled")
	}
	if u.Lockout.Locked(s.now()) {
		return nil, lockedError()
	}
	var ic *IssuedCode
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		ic, err = s.IssueCode(ctx, tx, CodeRequest{
			Realm: realm, UserID: u.ID, Purpose: iam.PurposeSignIn, Channel: iam.ChannelSMS, To: phone, Username: u.Username,
		})
		return err
	})
	return ic, store.AsIAM(err, "user", "")
}

// VerifyPhoneSignIn checks the code the user typed against the sign-in
// code of handle (from StartPhoneSignIn) sent to phone, and returns the
// user; the first success also marks the phone verified. Each wrong code
// spends an attempt and counts as an OTP failure toward the lockout
// (VerifyCode).
//
// Errors: those of VerifyCode (CodeUnauthorized for a wrong code,
// CodeLocked, CodeExpired, CodePrecondition when no attempts are left or
// the code was used, CodeNotFound for an unknown handle); CodeInvalid
// ("phone") for a malformed number; CodeNotFound when the code was not
// sent to phone; CodeForbidden for a user disabled meanwhile.
func (s *Service) VerifyPhoneSignIn(ctx context.Context, realm *iam.Realm, phone, handle, code, ip string) (*iam.User, error) {
	phone, err := iam.NormalizePhone(phone, realm.Settings.PhoneRegion)
	if err != nil {
		return nil, err
	}
	c, err := s.VerifyCode(ctx, realm, handle, iam.PurposeSignIn, code, ip)
	if err != nil {
		return nil, err
	}
	if c.Target != phone || c.UserID == "" {
		return nil, iam.NotFound("code")
	}
	now := s.now()
	var u *iam.User
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		var err error
		if u, err = sc.Users().Get(ctx, c.UserID); err != nil {
			return err
		}
		switch {
		case u.Deleted():
			return iam.NotFound("user")
		case !u.Enabled:
			return iam.Errorf(iam.CodeForbidden, "the account is disabled")
		case !u.PhoneVerified && u.Phone == phone:
			if err := s.markVerified(ctx, sc, realm, u, false, now); err != nil {
				return err
			}
		}
		return sc.Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: iam.EventLoginSucceeded, UserID: u.ID, IP: ip,
			Detail: map[string]string{"method": "sms"}, CreatedAt: now})
	})
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	return u, nil
}
