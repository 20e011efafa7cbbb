package directory

import (
	"context"

	"iamd/iam"
	"iamd/store"
)

// RemoveContact removes the e-mail address (email true) or the phone
// number of the live user userID. The user must keep a way to sign in and
// to recover the account: the other one, verified. A username that was
// the removed value becomes the remaining one, so that the removed
// address signs nobody in and is free for someone else.
//
// Errors: CodeNotFound for an unknown or deleted user; CodePrecondition
// when the user has no such address, or the other one is missing or
// unverified; CodeConflict when the new username is taken.
func (s *Service) RemoveContact(ctx context.Context, realm *iam.Realm, userID string, email bool, actorID string) (*iam.User, error) {
	var u *iam.User
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		var err error
		if u, err = liveUser(ctx, sc, userID); err != nil {
			return err
		}
		removed, keep, keepVerified, what, other := &u.Phone, u.Email, u.EmailVerified, "contact number", "e-mail address"
		if email {
			removed, keep, keepVerified, what, other = &u.Email, u.Phone, u.PhoneVerified, "e-mail address", "contact number"
		}
		switch {
		case *removed == "":
			return iam.Errorf(iam.CodePrecondition, "the account has no %s", what)
		case keep == "" || !keepVerified:
			return iam.Errorf(iam.CodePrecondition, "the account needs a verified %s to sign in with before its %s can be removed", other, what)
		}
		fields := "phone,phoneVerified"
		if email {
			fields = "email,emailVerified"
		}
		if iam.FoldKey(u.Username) == iam.FoldKey(*removed) {
			u.Username, fields = keep, fields+",username"
		}
		*removed = ""
		if email {
			u.EmailVerified = false
		} else {
			u.PhoneVerified = false
		}
		now := s.now()
		u.UpdatedAt = now
		if err := sc.Users().Update(ctx, u); err != nil {
			return store.AsIAM(err, "user", conflictMessage(u))
		}
		return sc.Events().Append(ctx, event(realm, iam.EventUserUpdated, u.ID, actorID, now, map[string]string{"fields": fields}))
	})
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	return u, nil
}
