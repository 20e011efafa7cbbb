package directory

import (
	"context"
	"strings"

	"iamd/iam"
	"iamd/store"
)

// UsersByContact returns the live user whose e-mail is email and the one
// whose phone is phone (normalised with the realm's region), matched
// exactly and case-insensitively; an empty argument or no match gives
// nil. It answers "is this address already registered?" before a sign-up.
// CodeInvalid ("email" or "phone") for a malformed one.
func (s *Service) UsersByContact(ctx context.Context, realm *iam.Realm, email, phone string) (byEmail, byPhone *iam.User, err error) {
	if strings.TrimSpace(email) != "" {
		if email, err = iam.NormalizeEmail(email); err != nil {
			return nil, nil, err
		}
		if byEmail, err = s.userWhere(ctx, realm, store.UserQuery{Email: email}); err != nil {
			return nil, nil, err
		}
	}
	if strings.TrimSpace(phone) != "" {
		if phone, err = iam.NormalizePhone(phone, realm.Settings.PhoneRegion); err != nil {
			return nil, nil, err
		}
		if byPhone, err = s.userWhere(ctx, realm, store.UserQuery{Phone: phone}); err != nil {
			return nil, nil, err
		}
	}
	return byEmail, byPhone, nil
}

// userWhere returns the one live user q matches, or nil.
func (s *Service) userWhere(ctx context.Context, realm *iam.Realm, q store.UserQuery) (*iam.User, error) {
	return liveUserWhere(ctx, s.Store.Realm(realm.ID), q)
}
