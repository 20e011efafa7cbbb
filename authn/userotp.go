package authn

import (
	"context"

	"iamd/iam"
	"iamd/store"
)

// Support tooling (document 000's users/otp) lets an administrator give
// a user a sign-in code: CreateUserOTP makes a mobile sign-in code, sends
// it to the user's phone as StartPhoneSignIn does, and returns it once;
// the code, the session (its Handle) and the phone work at the mobile
// sign-in verification like any other. Only its keyed hash is stored, so
// UserOTP can later tell whether that code is still valid, when it
// expires and where it went, but never the code itself.

// CreateUserOTP makes a new sign-in code for the live user whose
// username, e-mail or phone is login, on an administrator's (actorID)
// request. It supersedes the user's previous administrator-made code.
//
// Errors: CodeNotFound for an unknown login; CodeForbidden for a
// disabled user; CodePrecondition for a user without a phone.
func (s *Service) CreateUserOTP(ctx context.Context, realm *iam.Realm, login, actorID string) (*IssuedCode, *iam.User, error) {
	u, err := s.Directory.FindUser(ctx, realm, login)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case !u.Enabled:
		return nil, nil, iam.Errorf(iam.CodeForbidden, "the account is disabled")
	case u.Phone == "":
		return nil, nil, iam.Errorf(iam.CodePrecondition, "the user has no contact number to sign in with")
	}
	var ic *IssuedCode
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		ic, err = s.IssueCode(ctx, tx, CodeRequest{
			Realm: realm, UserID: u.ID, Purpose: iam.PurposeSignIn, Channel: iam.ChannelSMS, To: u.Phone,
			Username: u.Username, Handle: s.userHandle(handleAdminOTP, u.ID, ""),
		})
		if err != nil {
			return err
		}
		return tx.Realm(realm.ID).Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: iam.EventOTPIssued,
			UserID: u.ID, ActorID: actorID, Detail: map[string]string{"code_id": ic.Code.ID, "purpose": iam.PurposeSignIn}, CreatedAt: ic.Code.CreatedAt})
	})
	if err != nil {
		return nil, nil, store.AsIAM(err, "user", "")
	}
	return ic, u, nil
}

// UserOTP returns the newest administrator-made sign-in code of the live
// user whose username, e-mail or phone is login, while it can still be
// used (not used up, not expired). The code's Hash is the only trace of
// the code itself.
//
// Errors: CodeNotFound for an unknown login, or when the user has no
// usable administrator-made code.
func (s *Service) UserOTP(ctx context.Context, realm *iam.Realm, login string) (*iam.OneTimeCode, *iam.User, error) {
	u, err := s.Directory.FindUser(ctx, realm, login)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.Store.Realm(realm.ID).Codes().GetByHandle(ctx, s.userHandle(handleAdminOTP, u.ID, ""), iam.PurposeSignIn)
	if err != nil {
		return nil, nil, store.AsIAM(err, "valid code of the user", "")
	}
	if c.UserID != u.ID || !c.Usable(s.now()) {
		return nil, nil, iam.NotFound("valid code of the user")
	}
	return c, u, nil
}
