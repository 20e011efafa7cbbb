package authn

import (
	"context"

	"iamd/iam"
	"iamd/store"
)

// recordFailure counts one failed password (otp=false) or OTP attempt of
// user and locks the user when the realm's limit is reached. The counter is
// incremented atomically in the store, so concurrent failures all count.
// It returns CodeLocked when this failure locked the user.
func (s *Service) recordFailure(ctx context.Context, realm *iam.Realm, user *iam.User, otp bool, ip string) error {
	pol := realm.Settings.BruteForce.Effective()
	now := s.now()
	sc := s.Store.Realm(realm.ID)
	l, err := sc.Users().AddFailure(ctx, user.ID, otp, now, ip)
	if err != nil {
		return store.AsIAM(err, "user", "")
	}
	typ := iam.EventLoginFailed
	if otp {
		typ = iam.EventOTPFailed
	}
	_ = sc.Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: typ, UserID: user.ID, IP: ip, CreatedAt: now})
	if pol.Disabled {
		return nil
	}
	n, max := l.PasswordFailures, pol.MaxPasswordFailures
	if otp {
		n, max = l.OTPFailures, pol.MaxOTPFailures
	}
	if n < max || l.Locked(now) {
		return nil
	}
	if pol.PermanentLockout {
		l.Permanent = true
	} else {
		until := now.Add(pol.LockoutDuration)
		l.LockedUntil = &until
	}
	// The counters restart so that, once the lock expires, the user gets
	// a full set of attempts again.
	l.PasswordFailures, l.OTPFailures = 0, 0
	if err := sc.Users().SetLockout(ctx, user.ID, l); err != nil {
		return store.AsIAM(err, "user", "")
	}
	_ = sc.Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: iam.EventUserLocked, UserID: user.ID, IP: ip, CreatedAt: now})
	return lockedError()
}

func lockedError() error {
	return iam.Errorf(iam.CodeLocked, "the account is temporarily locked after too many failed attempts")
}

// clearFailures resets the counters after a success, if there were any.
func (s *Service) clearFailures(ctx context.Context, realm *iam.Realm, user *iam.User) error {
	l := user.Lockout
	if l.PasswordFailures == 0 && l.OTPFailures == 0 && l.LockedUntil == nil {
		return nil
	}
	return store.AsIAM(s.Store.Realm(realm.ID).Users().SetLockout(ctx, user.ID, iam.Lockout{LastFailureAt: l.LastFailureAt, LastFailureIP: l.LastFailureIP}), "user", "")
}

// clearPasswordFailures resets the password counter after a correct
// password (and an expired lock), keeping the OTP failures: a second
// factor still to come must not get a fresh set of guesses with every
// correct password.
func (s *Service) clearPasswordFailures(ctx context.Context, realm *iam.Realm, user *iam.User) error {
	l := user.Lockout
	if l.PasswordFailures == 0 && l.LockedUntil == nil {
		return nil
	}
	l.PasswordFailures, l.LockedUntil = 0, nil
	return store.AsIAM(s.Store.Realm(realm.ID).Users().SetLockout(ctx, user.ID, l), "user", "")
}

// LockStatus is the brute-force view of a user that document 001 shows.
type LockStatus struct {
	Locked           bool
	PasswordFailures int
	OTPFailures      int
	Lockout          iam.Lockout
}

// Status returns the lockout state of a user as of now.
func (s *Service) Status(ctx context.Context, realm *iam.Realm, userID string) (*LockStatus, error) {
	if !iam.ValidID(userID) {
		return nil, iam.NotFound("user")
	}
	u, err := s.Store.Realm(realm.ID).Users().Get(ctx, userID)
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	return &LockStatus{Locked: u.Lockout.Locked(s.now()), PasswordFailures: u.Lockout.PasswordFailures, OTPFailures: u.Lockout.OTPFailures, Lockout: u.Lockout}, nil
}
