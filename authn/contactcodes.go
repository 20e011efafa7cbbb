package authn

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"

	"iamd/iam"
	"iamd/store"
)

// The codes of this file and of the e-mail link, e-mail change and merge
// flows belong to a signed-in user. Where the client presents no session
// (document 000's confirm-otp, e-mail verify and merge requests carry only
// the code), the code is found by a handle derived from the user and the
// address: userHandle. A new code for the same user and address makes the
// older one unreachable, so only the newest code counts.

// Kinds of user-bound handles (the first input of userHandle).
const (
	handleVerify    = "verify"     // a code proving the user's own e-mail or phone
	handleEmailLink = "email-link" // a code linking an e-mail to a mobile user
	handleMerge     = "merge"      // a code proving the other account of a merge
	handleAdminOTP  = "admin-otp"  // a sign-in code an administrator created
)

// userHandle is the handle of the newest code of kind for user and
// target: a hash keyed with the code key, so that it is found again
// without a session and cannot be computed by anyone else.
func (s *Service) userHandle(kind, userID, target string) string {
	m := hmac.New(sha256.New, s.CodeKey)
	for _, p := range []string{"user-handle", kind, userID, iam.FoldKey(target)} {
		m.Write([]byte(p))
		m.Write([]byte{0})
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// verifyUserCode is VerifyCode for a code the user typed, with a wrong
// code's error (a *CodeRejected) saying how many attempts are left and
// naming field "code", which the surfaces rename to their own.
func (s *Service) verifyUserCode(ctx context.Context, realm *iam.Realm, handle, purpose, code, ip string) (*iam.OneTimeCode, error) {
	c, err := s.VerifyCode(ctx, realm, handle, purpose, code, ip)
	if left, ok := AttemptsLeft(err); ok && iam.IsCode(err, iam.CodeUnauthorized) {
		return nil, &CodeRejected{Left: left, Err: &iam.Error{Code: iam.CodeUnauthorized, Field: "code",
			Message: "the code is wrong; attempts left: " + strconv.Itoa(left)}}
	}
	return c, err
}

// confirmOwnPassword is ConfirmPassword for a change of the user's own
// addresses, its refusal naming field "password" so that a surface can
// tell it from a wrong code.
func (s *Service) confirmOwnPassword(ctx context.Context, realm *iam.Realm, userID, password, ip string) error {
	_, err := s.ConfirmPassword(ctx, realm, userID, password, ip)
	if e := (*iam.Error)(nil); errors.As(err, &e) && e.Code == iam.CodeUnauthorized && e.Field == "" {
		return &iam.Error{Code: e.Code, Field: "password", Message: e.Message}
	}
	return err
}

// liveUser returns the live (enabled, not deleted) user userID; a
// disabled one is CodeForbidden, a missing or deleted one CodeNotFound.
func (s *Service) liveUser(ctx context.Context, realm *iam.Realm, userID string) (*iam.User, error) {
	u, err := s.Directory.GetUser(ctx, realm, userID)
	if err != nil {
		return nil, err
	}
	if !u.Enabled {
		return nil, iam.Errorf(iam.CodeForbidden, "the account is disabled")
	}
	return u, nil
}

// txLiveUser is liveUser read through a transaction's scope.
func txLiveUser(ctx context.Context, sc store.Scope, userID string) (*iam.User, error) {
	if !iam.ValidID(userID) {
		return nil, iam.NotFound("user")
	}
	u, err := sc.Users().Get(ctx, userID)
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	switch {
	case u.Deleted():
		return nil, iam.NotFound("user")
	case !u.Enabled:
		return nil, iam.Errorf(iam.CodeForbidden, "the account is disabled")
	}
	return u, nil
}

// SendContactVerification sends the signed-in user a code proving their
// own e-mail address (email true: to u.Email) or contact number (by SMS
// to u.Phone). account must name the user: their e-mail, username or
// phone (document 000 passes it as "email" for both). The code is
// confirmed with ConfirmContact.
//
// Errors: CodeRateLimited; CodeNotFound for an unknown user;
// CodeForbidden for a disabled one, or when account names someone else;
// CodePrecondition when the user has no such address or it is verified.
func (s *Service) SendContactVerification(ctx context.Context, realm *iam.Realm, userID, account string, email bool, ip string) (*IssuedCode, error) {
	if !s.Throttle.Allow(ip, s.now()) {
		return nil, iam.Errorf(iam.CodeRateLimited, "too many attempts from this address, try again later")
	}
	u, err := s.liveUser(ctx, realm, userID)
	if err != nil {
		return nil, err
	}
	if !namesUser(realm, u, account) {
		return nil, iam.Errorf(iam.CodeForbidden, "%.64q is not an address of the signed-in user", account)
	}
	req := CodeRequest{Realm: realm, UserID: u.ID, Username: u.Username}
	switch {
	case email && u.Email == "":
		return nil, iam.Errorf(iam.CodePrecondition, "the account has no e-mail address")
	case email && u.EmailVerified:
		return nil, iam.Errorf(iam.CodePrecondition, "the e-mail address is already verified")
	case email:
		req.Purpose, req.Channel, req.To = iam.PurposeVerifyEmail, iam.ChannelEmail, u.Email
	case u.Phone == "":
		return nil, iam.Errorf(iam.CodePrecondition, "the account has no contact number")
	case u.PhoneVerified:
		return nil, iam.Errorf(iam.CodePrecondition, "the contact number is already verified")
	default:
		req.Purpose, req.Channel, req.To = iam.PurposeVerifyPhone, iam.ChannelSMS, u.Phone
	}
	req.Handle = s.userHandle(handleVerify, u.ID, req.To)
	var ic *IssuedCode
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		ic, err = s.IssueCode(ctx, tx, req)
		return err
	})
	return ic, store.AsIAM(err, "user", "")
}

// ConfirmContact checks the code SendContactVerification sent to address
// (the user's e-mail when email, else their phone) and marks that address
// verified. A wrong code spends one of the code's attempts and counts as
// an OTP failure (VerifyCode).
//
// Errors: CodeInvalid ("email" or "phone") for a malformed address;
// CodeNotFound when no code was sent to it or it is no longer the user's;
// CodeUnauthorized ("code") for a wrong code, with the attempts left;
// CodeExpired; CodePrecondition for a used code or one out of attempts;
// CodeLocked; CodeRateLimited.
func (s *Service) ConfirmContact(ctx context.Context, realm *iam.Realm, userID, address string, email bool, code, ip string) (*iam.User, error) {
	purpose := iam.PurposeVerifyPhone
	var err error
	if email {
		purpose = iam.PurposeVerifyEmail
		address, err = iam.NormalizeEmail(address)
	} else {
		address, err = iam.NormalizePhone(address, realm.Settings.PhoneRegion)
	}
	if err != nil {
		return nil, err
	}
	if _, err := s.liveUser(ctx, realm, userID); err != nil {
		return nil, err
	}
	c, err := s.verifyUserCode(ctx, realm, s.userHandle(handleVerify, userID, address), purpose, code, ip)
	if err != nil {
		return nil, err
	}
	var u *iam.User
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		if u, err = txLiveUser(ctx, sc, userID); err != nil {
			return err
		}
		current := u.Phone
		if email {
			current = u.Email
		}
		if iam.FoldKey(current) != iam.FoldKey(c.Target) {
			return iam.NotFound("code") // the address changed since the code was sent
		}
		return s.markVerified(ctx, sc, realm, u, email, s.now())
	})
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	return u, nil
}

// namesUser reports whether account is u's username, e-mail or phone.
func namesUser(realm *iam.Realm, u *iam.User, account string) bool {
	account = strings.TrimSpace(account)
	if account == "" {
		return false
	}
	if k := iam.FoldKey(account); k == iam.FoldKey(u.Username) || (u.Email != "" && k == iam.FoldKey(u.Email)) {
		return true
	}
	p, err := iam.NormalizePhone(account, realm.Settings.PhoneRegion)
	return err == nil && u.Phone != "" && p == u.Phone
}
