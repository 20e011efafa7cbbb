package authn

import (
	"context"
	"strings"

	"iamd/directory"
	"iamd/iam"
	"iamd/store"
)

// Merging folds another account of the same person into the signed-in
// one (directory.MergeUsers). The person proves the other account is
// theirs with a code sent to its e-mail address or phone: StartMerge sends
// it, ProcessMerge checks it and merges. The code is the signed-in user's
// (its wrong guesses count toward their lockout, not the other account's,
// so that nobody can lock a stranger out by guessing), and it names the
// other account, found again by userHandle.

// MergeTarget names the other account of a merge by its e-mail address
// or phone; either may be empty, and either may be the signed-in user's
// own (a client may send it along), which is ignored.
type MergeTarget struct {
	Email, Phone string
}

// StartMerge sends a code to the other account named by t: to its e-mail
// address when t's e-mail names it, else by SMS to its phone.
//
// Errors: CodeRateLimited; CodeInvalid ("email", "phone") for a
// malformed address or none naming another account; CodeNotFound when no
// account has them; CodeConflict when they name two different accounts;
// CodeForbidden when the other account is disabled; CodePrecondition when
// it has an authenticator app (directory.MergeUsers refuses it).
func (s *Service) StartMerge(ctx context.Context, realm *iam.Realm, userID string, t MergeTarget, ip string) (*IssuedCode, error) {
	if !s.Throttle.Allow(ip, s.now()) {
		return nil, iam.Errorf(iam.CodeRateLimited, "too many attempts from this address, try again later")
	}
	u, err := s.liveUser(ctx, realm, userID)
	if err != nil {
		return nil, err
	}
	other, viaEmail, err := s.mergeTarget(ctx, realm, u, t)
	if err != nil {
		return nil, err
	}
	if has, err := s.HasTOTP(ctx, realm, other.ID); err != nil || has {
		if err == nil {
			err = iam.Errorf(iam.CodePrecondition, "the account to merge has an authenticator app; turn two-factor sign-in off there first")
		}
		return nil, err
	}
	req := CodeRequest{
		Realm: realm, UserID: u.ID, Purpose: iam.PurposeAccountMerge, Channel: iam.ChannelSMS, To: other.Phone,
		Username: other.Username, Handle: s.userHandle(handleMerge, u.ID, ""),
		Data: map[string]string{"merge_user": other.ID, "proven": "phone"},
	}
	if viaEmail {
		req.Channel, req.To, req.Data["proven"] = iam.ChannelEmail, other.Email, "email"
	}
	var ic *IssuedCode
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		ic, err = s.IssueCode(ctx, tx, req)
		return err
	})
	return ic, store.AsIAM(err, "user", "")
}

// ProcessMerge checks code against the user's newest StartMerge code,
// whose account t must name again, and merges that account into the
// user's (directory.MergeUsers; makePrimary as there). It returns the
// merged user.
//
// Errors: those of StartMerge's lookup; CodeNotFound when no merge was
// started or t names another account than the code's; CodeUnauthorized
// ("code") for a wrong code, with the attempts left; CodeExpired;
// CodePrecondition for a used code or one out of attempts; CodeLocked;
// those of directory.MergeUsers.
func (s *Service) ProcessMerge(ctx context.Context, realm *iam.Realm, userID string, t MergeTarget, code string, makePrimary bool, ip string) (*iam.User, error) {
	u, err := s.liveUser(ctx, realm, userID)
	if err != nil {
		return nil, err
	}
	other, _, err := s.mergeTarget(ctx, realm, u, t)
	if err != nil {
		return nil, err
	}
	handle := s.userHandle(handleMerge, u.ID, "")
	c, err := s.Store.Realm(realm.ID).Codes().GetByHandle(ctx, handle, iam.PurposeAccountMerge)
	if err != nil {
		return nil, store.AsIAM(err, "merge request", "")
	}
	if c.UserID != u.ID || c.Data["merge_user"] != other.ID {
		return nil, iam.NotFound("merge request")
	}
	if _, err := s.verifyUserCode(ctx, realm, handle, iam.PurposeAccountMerge, code, ip); err != nil {
		return nil, err
	}
	return s.Directory.MergeUsers(ctx, realm, directory.Merge{
		SurvivorID: u.ID, MergedID: other.ID, Proven: c.Data["proven"], MakePrimary: makePrimary, ActorID: u.ID,
	})
}

// mergeTarget finds the other account t names, and whether it is named
// by its e-mail address.
func (s *Service) mergeTarget(ctx context.Context, realm *iam.Realm, u *iam.User, t MergeTarget) (*iam.User, bool, error) {
	if strings.TrimSpace(t.Email) == "" && strings.TrimSpace(t.Phone) == "" {
		return nil, false, iam.Invalid("email", "the e-mail address or the phone of the account to merge is required")
	}
	byEmail, byPhone, err := s.Directory.UsersByContact(ctx, realm, t.Email, t.Phone)
	if err != nil {
		return nil, false, err
	}
	own := false
	if byEmail != nil && byEmail.ID == u.ID {
		byEmail, own = nil, true
	}
	if byPhone != nil && byPhone.ID == u.ID {
		byPhone, own = nil, true
	}
	switch {
	case byEmail != nil && byPhone != nil && byEmail.ID != byPhone.ID:
		return nil, false, iam.Conflict("the e-mail address and the phone belong to two different accounts")
	case byEmail == nil && byPhone == nil && own:
		return nil, false, iam.Invalid("email", "the e-mail address and phone given are the signed-in account's own; name the other account")
	case byEmail == nil && byPhone == nil:
		return nil, false, iam.NotFound("account to merge")
	}
	other, viaEmail := byPhone, false
	if byEmail != nil {
		other, viaEmail = byEmail, true
	}
	if !other.Enabled {
		return nil, false, iam.Errorf(iam.CodeForbidden, "the account to merge is disabled")
	}
	return other, viaEmail, nil
}
