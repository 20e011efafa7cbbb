package directory

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"iamd/authn/password"
	"iamd/iam"
	"iamd/store"
)

// ProfileUpdate is a change of a user's own data that the user, an
// administrator of one of the user's organizations or a realm
// administrator asks for (document 000's PUT and PATCH users/{id}). A nil
// field is left as it is.
type ProfileUpdate struct {
	FirstName, LastName *string
	// Email and Phone are sign-in identifiers: only the user and a realm
	// administrator may change them (CodeForbidden otherwise). A changed
	// one becomes unverified; "" leaves it as it is (removing an address
	// is the unlink operations' job).
	Email, Phone                                *string
	Department, Designation, Gender, PictureURL *string
	// Attributes are set one value each, the others kept.
	Attributes map[string]string
	// Password is set as by SetPassword (policy, history, every session
	// ended); only a realm administrator may (CodeForbidden otherwise).
	Password *string
}

// UpdateUserAs applies in to the live user with numeric id num on behalf
// of actor and returns the user as actor may see it. The profile change
// commits in one transaction with its audit event (merged with the stored
// profile inside it, so concurrent changes of different fields both
// stay); a new password is stored after it, as SetPassword does.
//
// Errors: those of AccessUser; CodeForbidden for an identifier or password
// change the actor may not make; CodeInvalid naming the bad field
// ("pictureUrl" for a picture that is not an http(s) URL); CodeConflict
// when the new e-mail or phone is another user's.
func (s *Service) UpdateUserAs(ctx context.Context, realm *iam.Realm, actor Actor, num int64, in ProfileUpdate) (*UserView, error) {
	u, acc, err := s.AccessUser(ctx, realm, actor, num)
	if err != nil {
		return nil, err
	}
	if err := checkProfileUpdate(acc, in); err != nil {
		return nil, err
	}
	if in.Password != nil {
		if err := password.CheckPolicy(realm.Settings.Password, *in.Password, u.Username, u.Email); err != nil {
			return nil, err
		}
	}
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		if u, err = liveUser(ctx, sc, u.ID); err != nil {
			return err
		}
		changed, err := applyUserUpdate(u, mergeProfile(u, in), realm.Settings.PhoneRegion)
		if err != nil {
			return err
		}
		u.UpdatedAt = s.now()
		if err := sc.Users().Update(ctx, u); err != nil {
			return store.AsIAM(err, "user", conflictMessage(u))
		}
		return sc.Events().Append(ctx, event(realm, iam.EventUserUpdated, u.ID, actor.UserID, u.UpdatedAt,
			map[string]string{"fields": strings.Join(changed, ",")}))
	})
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	if in.Password != nil {
		if err := s.SetPassword(ctx, realm, u.ID, *in.Password, false, actor.UserID); err != nil {
			return nil, err
		}
	}
	return s.userView(ctx, realm, u, acc)
}

// checkProfileUpdate refuses what acc does not allow and checks the
// fields applyUserUpdate does not.
func checkProfileUpdate(acc *UserAccess, in ProfileUpdate) error {
	if !acc.ManagesIdentity() && (nonEmpty(in.Email) || nonEmpty(in.Phone)) {
		return iam.Errorf(iam.CodeForbidden, "only the user or a realm administrator may change the e-mail address or phone number")
	}
	if in.Password != nil && !acc.RealmAdmin {
		return iam.Errorf(iam.CodeForbidden, "only a realm administrator may set a password here; users change theirs with the old one")
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"department", in.Department}, {"designation", in.Designation}, {"genderLookUpCode", in.Gender}} {
		if f.v != nil {
			if err := checkText(f.name, *f.v, 255, false); err != nil {
				return err
			}
		}
	}
	if nonEmpty(in.PictureURL) {
		p, err := url.Parse(*in.PictureURL)
		if err != nil || len(*in.PictureURL) > 2048 || (p.Scheme != "https" && p.Scheme != "http") || p.Host == "" {
			return iam.Invalid("profileUrl", "profileUrl must be an http or https URL of at most 2048 characters")
		}
	}
	for k, v := range in.Attributes {
		if err := checkText("attributes", k, 255, true); err != nil {
			return err
		}
		if err := checkText("attributes", v, 4096, false); err != nil {
			return err
		}
	}
	return nil
}

// mergeProfile is in as a UserUpdate of u: profile fields and attributes
// merged into u's.
func mergeProfile(u *iam.User, in ProfileUpdate) UserUpdate {
	up := UserUpdate{FirstName: trimmed(in.FirstName), LastName: trimmed(in.LastName)}
	if nonEmpty(in.Email) {
		up.Email = trimmed(in.Email)
	}
	if nonEmpty(in.Phone) {
		up.Phone = trimmed(in.Phone)
	}
	if in.Department != nil || in.Designation != nil || in.Gender != nil || in.PictureURL != nil {
		p := u.Profile
		for _, f := range []struct{ dst, v *string }{{&p.Department, in.Department}, {&p.Designation, in.Designation}, {&p.Gender, in.Gender}, {&p.PictureURL, in.PictureURL}} {
			if f.v != nil {
				*f.dst = strings.TrimSpace(*f.v)
			}
		}
		up.Profile = &p
	}
	if len(in.Attributes) > 0 {
		up.Attributes = make(map[string][]string, len(u.Attributes)+len(in.Attributes))
		for k, v := range u.Attributes {
			up.Attributes[k] = v
		}
		for k, v := range in.Attributes {
			up.Attributes[k] = []string{v}
		}
	}
	return up
}

func nonEmpty(p *string) bool { return p != nil && strings.TrimSpace(*p) != "" }

func trimmed(p *string) *string {
	if p == nil {
		return nil
	}
	v := strings.TrimSpace(*p)
	return &v
}

// VerifyEmailAsAdmin marks the e-mail of the live user whose address is
// email (exactly, case-insensitively) verified, as an administrator
// vouching for it, and clears the VERIFY_EMAIL required action. A
// verified address stays verified. CodeInvalid ("email") for a malformed
// address, CodeNotFound when no live user has it.
func (s *Service) VerifyEmailAsAdmin(ctx context.Context, realm *iam.Realm, email, actorID string) (*iam.User, error) {
	u, _, err := s.UsersByContact(ctx, realm, email, "")
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, iam.NotFound("user")
	}
	if u.EmailVerified && !slices.Contains(u.RequiredActions, iam.ActionVerifyEmail) {
		return u, nil
	}
	actions := make([]string, 0, len(u.RequiredActions))
	for _, a := range u.RequiredActions {
		if a != iam.ActionVerifyEmail {
			actions = append(actions, a)
		}
	}
	verified := true
	return s.UpdateUser(ctx, realm, u.ID, UserUpdate{EmailVerified: &verified, RequiredActions: actions}, actorID)
}

// UnlockUserByLogin clears the brute-force state of the live user whose
// username, e-mail or phone is login (case-insensitively), as UnlockUser.
// CodeNotFound when there is none.
func (s *Service) UnlockUserByLogin(ctx context.Context, realm *iam.Realm, login, actorID string) (*iam.User, error) {
	u, err := s.FindUser(ctx, realm, strings.TrimSpace(login))
	if err != nil {
		return nil, err
	}
	if err := s.UnlockUser(ctx, realm, u.ID, actorID); err != nil {
		return nil, err
	}
	return u, nil
}
