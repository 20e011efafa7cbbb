package authn

import (
	"context"
	"errors"
	"log/slog"

	"iamd/iam"
	"iamd/store"
)

// PasswordSignIn checks login (username, e-mail or phone) and password in
// realm for a request from ip. It returns the user on success.
//
// Errors: CodeRateLimited when ip made too many attempts; CodeUnauthorized
// for an unknown login or a wrong password (the same message and, thanks
// to a dummy verification, about the same time); CodeLocked when the user
// is locked (checked after the password, so a lock does not confirm a
// guess); CodeForbidden for a disabled user. A successful sign-in with an
// imported or weaker hash stores a fresh argon2id hash.
func (s *Service) PasswordSignIn(ctx context.Context, realm *iam.Realm, login, password, ip string) (*iam.User, error) {
	if !s.Throttle.Allow(ip, s.now()) {
		return nil, iam.Errorf(iam.CodeRateLimited, "too many sign-in attempts from this address, try again later")
	}
	if login == "" || password == "" || len(login) > 320 || len(password) > 1024 {
		return nil, badCredentials()
	}
	sc := s.Store.Realm(realm.ID)
	u, err := sc.Users().Find(ctx, login)
	if errors.Is(err, store.ErrNotFound) {
		_ = s.Passwords.VerifyUnknownUser(ctx, password)
		return nil, badCredentials()
	}
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	creds, err := sc.Credentials().List(ctx, u.ID, iam.CredPassword)
	if err != nil {
		return nil, store.AsIAM(err, "credential", "")
	}
	if len(creds) == 0 {
		_ = s.Passwords.VerifyUnknownUser(ctx, password)
		return nil, badCredentials()
	}
	cred := creds[0]
	ok, rehash, err := s.Passwords.Verify(ctx, password, cred.Secret)
	if err != nil && ctx.Err() != nil {
		return nil, iam.Errorf(iam.CodeUnavailable, "the request was cancelled")
	}
	if err != nil {
		slog.WarnContext(ctx, "stored password hash cannot be verified", "realm", realm.Name, "user_id", u.ID, "error", err.Error())
	}
	now := s.now()
	if u.Lockout.Locked(now) {
		return nil, lockedError()
	}
	if !ok {
		if err := s.recordFailure(ctx, realm, u, false, ip); err != nil {
			return nil, err
		}
		return nil, badCredentials()
	}
	if !u.Enabled {
		return nil, iam.Errorf(iam.CodeForbidden, "the account is disabled")
	}
	if err := s.clearPasswordFailures(ctx, realm, u); err != nil {
		return nil, err
	}
	if rehash {
		s.upgradeHash(ctx, realm, u, cred, password)
	}
	_ = sc.Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: iam.EventLoginSucceeded, UserID: u.ID, IP: ip, CreatedAt: now})
	return u, nil
}

// upgradeHash replaces an imported or weaker hash after a successful
// sign-in. A failure here is logged, not returned: the sign-in stands and
// the next one tries again.
func (s *Service) upgradeHash(ctx context.Context, realm *iam.Realm, u *iam.User, cred *iam.Credential, password string) {
	h, err := s.Passwords.Hash(ctx, password)
	if err == nil {
		cred.Secret, cred.UpdatedAt = h, s.now()
		err = s.Store.Realm(realm.ID).Credentials().Update(ctx, cred)
	}
	if err != nil {
		slog.WarnContext(ctx, "password rehash failed", "realm", realm.Name, "user_id", u.ID, "error", err.Error())
		return
	}
	_ = s.Store.Realm(realm.ID).Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: iam.EventPasswordRehashed, UserID: u.ID, CreatedAt: s.now()})
}

func badCredentials() error {
	return iam.Errorf(iam.CodeUnauthorized, "invalid username or password")
}
