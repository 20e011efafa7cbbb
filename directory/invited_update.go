package directory

import (
	"context"
	"strings"

	"iamd/iam"
)

// UpdateInvitedUser is UpdateUserAs for the form that completes an
// invited person's details (document 000's PUT users/invite/{id}), which
// sends the person's e-mail and phone along with every change. An e-mail
// or phone equal to the stored one is no change, so an organization's
// administrator may send it back (only a change of a sign-in identifier
// is reserved to the user and realm administrators). Errors as
// UpdateUserAs.
func (s *Service) UpdateInvitedUser(ctx context.Context, realm *iam.Realm, actor Actor, num int64, in ProfileUpdate) (*UserView, error) {
	u, err := s.GetUserByNum(ctx, realm, num)
	if err != nil {
		return nil, err
	}
	if in.Email != nil {
		if e, err := iam.NormalizeEmail(*in.Email); err == nil && u.Email != "" && iam.FoldKey(e) == iam.FoldKey(u.Email) {
			in.Email = nil
		}
	}
	if in.Phone != nil {
		if p, err := iam.NormalizePhone(strings.TrimSpace(*in.Phone), realm.Settings.PhoneRegion); err == nil && p == u.Phone {
			in.Phone = nil
		}
	}
	return s.UpdateUserAs(ctx, realm, actor, num, in)
}
