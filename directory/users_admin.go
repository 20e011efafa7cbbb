package directory

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"iamd/iam"
	"iamd/store"
)

// UserUpdate changes the fields that are set. A nil pointer, map or slice
// leaves the field as it is; a non-nil empty map or slice clears it.
type UserUpdate struct {
	Username        *string
	Email           *string // "" removes the e-mail
	Phone           *string // "" removes the phone; normalised with the realm's region
	FirstName       *string
	LastName        *string
	Enabled         *bool
	EmailVerified   *bool // when nil, a changed e-mail becomes unverified
	PhoneVerified   *bool // when nil, a changed phone becomes unverified
	Attributes      map[string][]string
	RequiredActions []string
	Profile         *iam.Profile
	Addresses       []iam.Address
}

// UpdateUser applies in to the live user and returns the result. Disabling
// a user revokes its sessions and refresh tokens in the same transaction.
// CodeNotFound for an unknown or deleted user; CodeInvalid names the bad
// field; CodeConflict when the new username, e-mail or phone is taken.
func (s *Service) UpdateUser(ctx context.Context, realm *iam.Realm, userID string, in UserUpdate, actorID string) (*iam.User, error) {
	var u *iam.User
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		var err error
		if u, err = liveUser(ctx, sc, userID); err != nil {
			return err
		}
		wasEnabled := u.Enabled
		changed, err := applyUserUpdate(u, in, realm.Settings.PhoneRegion)
		if err != nil {
			return err
		}
		now := s.now()
		u.UpdatedAt = now
		if err := sc.Users().Update(ctx, u); err != nil {
			return store.AsIAM(err, "user", conflictMessage(u))
		}
		detail := map[string]string{"fields": strings.Join(changed, ",")}
		if wasEnabled && !u.Enabled {
			n, err := sc.Sessions().RevokeUser(ctx, u.ID, now)
			if err != nil {
				return err
			}
			detail["sessions_revoked"] = strconv.Itoa(n)
		}
		return sc.Events().Append(ctx, event(realm, iam.EventUserUpdated, u.ID, actorID, now, detail))
	})
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	return u, nil
}

// applyUserUpdate changes u in place, normalises it and returns the names
// of the fields given.
func applyUserUpdate(u *iam.User, in UserUpdate, region string) ([]string, error) {
	var changed []string
	set := func(name string, dst *string, v *string) {
		if v != nil {
			*dst = *v
			changed = append(changed, name)
		}
	}
	oldEmail, oldPhone := u.Email, u.Phone
	set("username", &u.Username, in.Username)
	set("email", &u.Email, in.Email)
	set("phone", &u.Phone, in.Phone)
	set("firstName", &u.FirstName, in.FirstName)
	set("lastName", &u.LastName, in.LastName)
	for _, b := range []struct {
		name string
		dst  *bool
		v    *bool
	}{{"enabled", &u.Enabled, in.Enabled}, {"emailVerified", &u.EmailVerified, in.EmailVerified}, {"phoneVerified", &u.PhoneVerified, in.PhoneVerified}} {
		if b.v != nil {
			*b.dst = *b.v
			changed = append(changed, b.name)
		}
	}
	if in.Attributes != nil {
		u.Attributes, changed = in.Attributes, append(changed, "attributes")
	}
	if in.RequiredActions != nil {
		u.RequiredActions, changed = in.RequiredActions, append(changed, "requiredActions")
	}
	if in.Profile != nil {
		u.Profile, changed = *in.Profile, append(changed, "profile")
	}
	if in.Addresses != nil {
		u.Addresses, changed = in.Addresses, append(changed, "addresses")
	}
	if err := iam.NormalizeUser(u, region); err != nil {
		return nil, err
	}
	if in.EmailVerified == nil && iam.FoldKey(u.Email) != iam.FoldKey(oldEmail) {
		u.EmailVerified = false
	}
	if in.PhoneVerified == nil && u.Phone != oldPhone {
		u.PhoneVerified = false
	}
	if err := checkUserExtras(u); err != nil {
		return nil, err
	}
	return changed, nil
}

// checkUserExtras checks what NormalizeUser does not: attributes and
// required actions (deduplicated in place).
func checkUserExtras(u *iam.User) error {
	for k, vs := range u.Attributes {
		if err := checkText("attributes", k, 255, true); err != nil {
			return err
		}
		for _, v := range vs {
			if err := checkText("attributes", v, 4096, false); err != nil {
				return err
			}
		}
	}
	var actions []string
	for _, a := range u.RequiredActions {
		a = strings.TrimSpace(a)
		if err := checkText("requiredActions", a, 64, true); err != nil {
			return err
		}
		if !slices.Contains(actions, a) {
			actions = append(actions, a)
		}
	}
	if u.RequiredActions != nil {
		u.RequiredActions = actions
	}
	return nil
}

// DeleteUser soft-deletes the live user with reason (at most 255
// characters), freeing its username, e-mail and phone, and revokes its
// sessions and refresh tokens in the same transaction. CodeNotFound for an
// unknown or already deleted user.
func (s *Service) DeleteUser(ctx context.Context, realm *iam.Realm, userID, reason, actorID string) error {
	reason = strings.TrimSpace(reason)
	if err := checkText("reason", reason, 255, false); err != nil {
		return err
	}
	now := s.now()
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		if _, err := liveUser(ctx, sc, userID); err != nil {
			return err
		}
		if err := sc.Users().SoftDelete(ctx, userID, reason, now); err != nil {
			return err
		}
		n, err := sc.Sessions().RevokeUser(ctx, userID, now)
		if err != nil {
			return err
		}
		return sc.Events().Append(ctx, event(realm, iam.EventUserDeleted, userID, actorID, now,
			map[string]string{"reason": reason, "sessions_revoked": strconv.Itoa(n)}))
	})
	return store.AsIAM(err, "user", "")
}

// GetUser returns the live user; CodeNotFound for an unknown, malformed,
// another realm's or deleted id.
func (s *Service) GetUser(ctx context.Context, realm *iam.Realm, userID string) (*iam.User, error) {
	return liveUser(ctx, s.Store.Realm(realm.ID), userID)
}

// GetUserByNum returns the live user with numeric id num; CodeNotFound if
// there is none.
func (s *Service) GetUserByNum(ctx context.Context, realm *iam.Realm, num int64) (*iam.User, error) {
	if num <= 0 {
		return nil, iam.NotFound("user")
	}
	u, err := s.Store.Realm(realm.ID).Users().GetByNum(ctx, num)
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	if u.Deleted() {
		return nil, iam.NotFound("user")
	}
	return u, nil
}

var userOrders = []string{"", "username", "email", "created_at", "num"}

// ListUsers returns the users matching q and the total count ignoring the
// page. CodeInvalid for a negative offset or limit, an unknown order, or
// an overlong search term.
func (s *Service) ListUsers(ctx context.Context, realm *iam.Realm, q store.UserQuery) ([]*iam.User, int, error) {
	if err := checkPage(q.Page); err != nil {
		return nil, 0, err
	}
	if !slices.Contains(userOrders, q.OrderBy) {
		return nil, 0, iam.Invalid("orderBy", "orderBy must be one of username, email, created_at, num")
	}
	for _, f := range []struct{ name, v string }{{"search", q.Search}, {"username", q.Username}, {"email", q.Email}, {"phone", q.Phone}} {
		if len(f.v) > 320 {
			return nil, 0, iam.Invalid(f.name, "%s is too long", f.name)
		}
	}
	list, total, err := s.Store.Realm(realm.ID).Users().List(ctx, q)
	if err != nil {
		return nil, 0, store.AsIAM(err, "user", "")
	}
	return list, total, nil
}
