package directory

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"iamd/authn/password"
	"iamd/iam"
	"iamd/store"
)

// SetPassword is an administrator's password reset: ChangePassword by
// actorID with every session of the user revoked. The password must
// meet the realm's policy, including its history rule: with
// Settings.Password.HistoryCount N > 0 the new password may not be any of
// the user's last N passwords, the current one included (Keycloak's
// reading). Earlier hashes are kept as iam.CredPasswordHistory
// credentials, at most N-1 of them. With temporary, required action
// UPDATE_PASSWORD is added.
//
// Errors: CodeNotFound for an unknown or deleted user; CodeInvalid
// ("password") for a password the policy or the history refuses.
func (s *Service) SetPassword(ctx context.Context, realm *iam.Realm, userID, newPassword string, temporary bool, actorID string) error {
	return s.ChangePassword(ctx, realm, userID, newPassword, PasswordChange{By: "admin", ActorID: actorID, Temporary: temporary})
}

// PasswordChange says who changes a password and what survives it.
type PasswordChange struct {
	By        string // "admin", "reset" (a forgotten password) or "self": recorded in the audit event
	ActorID   string
	Temporary bool // add required action UPDATE_PASSWORD
	// KeepSessionID names one session of the user that stays active (the
	// caller's own, on a self-service change); every other session and
	// refresh token of the user is revoked.
	KeepSessionID string
}

// CheckNewPassword reports whether newPassword may become the user's
// password — the realm's policy and history rule — without changing
// anything, so that a flow can refuse it before spending a one-time code.
//
// Errors: CodeNotFound for an unknown or deleted user; CodeInvalid
// ("password") for a password the policy or the history refuses.
func (s *Service) CheckNewPassword(ctx context.Context, realm *iam.Realm, userID, newPassword string) error {
	sc := s.Store.Realm(realm.ID)
	u, err := liveUser(ctx, sc, userID)
	if err != nil {
		return err
	}
	policy := realm.Settings.Password
	if err := password.CheckPolicy(policy, newPassword, u.Username, u.Email); err != nil {
		return err
	}
	if policy.HistoryCount > 0 {
		hashes, err := recentHashes(ctx, sc, u.ID, policy.HistoryCount)
		if err != nil {
			return err
		}
		used, err := s.Passwords.InHistory(ctx, newPassword, hashes)
		if err != nil {
			return iam.Internal(err)
		}
		if used {
			return iam.Invalid("password", "the password was used recently; choose another one")
		}
	}
	return nil
}

// ChangePassword makes newPassword the user's password after
// CheckNewPassword accepts it. In the same transaction it replaces the
// password credential (keeping the history), revokes every session and
// refresh token of the user except c.KeepSessionID (so that after a reset
// no existing refresh token works), adds UPDATE_PASSWORD when
// c.Temporary, and writes an audit event.
//
// Errors: those of CheckNewPassword.
func (s *Service) ChangePassword(ctx context.Context, realm *iam.Realm, userID, newPassword string, c PasswordChange) error {
	if err := s.CheckNewPassword(ctx, realm, userID, newPassword); err != nil {
		return err
	}
	hash, err := s.Passwords.Hash(ctx, newPassword)
	if err != nil {
		return iam.Internal(err)
	}
	now := s.now()
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		u, err := liveUser(ctx, sc, userID)
		if err != nil {
			return err
		}
		if err := replacePassword(ctx, sc, realm, u.ID, hash, realm.Settings.Password.HistoryCount, now); err != nil {
			return err
		}
		if c.Temporary && !slices.Contains(u.RequiredActions, iam.ActionUpdatePassword) {
			u.RequiredActions, u.UpdatedAt = append(u.RequiredActions, iam.ActionUpdatePassword), now
			if err := sc.Users().Update(ctx, u); err != nil {
				return err
			}
		}
		n, err := revokeSessions(ctx, sc, u.ID, c.KeepSessionID, now)
		if err != nil {
			return err
		}
		return sc.Events().Append(ctx, event(realm, iam.EventPasswordChanged, u.ID, c.ActorID, now, map[string]string{
			"by": c.By, "temporary": strconv.FormatBool(c.Temporary), "sessions_revoked": strconv.Itoa(n),
		}))
	})
	return store.AsIAM(err, "user", "")
}

// revokeSessions revokes the user's sessions, all of them or all but keep,
// and returns how many.
func revokeSessions(ctx context.Context, sc store.Scope, userID, keep string, now time.Time) (int, error) {
	if keep == "" {
		return sc.Sessions().RevokeUser(ctx, userID, now)
	}
	live, err := sc.Sessions().OfUser(ctx, userID, now)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, sess := range live {
		if sess.ID == keep {
			continue
		}
		if err := sc.Sessions().Revoke(ctx, sess.ID, now); err != nil && !errors.Is(err, store.ErrNotFound) {
			return n, err
		}
		n++
	}
	return n, nil
}

// recentHashes returns the hashes the history rule compares against: the
// current password's and the newest n-1 earlier ones.
func recentHashes(ctx context.Context, sc store.Scope, userID string, n int) ([]string, error) {
	var hashes []string
	for _, typ := range []string{iam.CredPassword, iam.CredPasswordHistory} {
		creds, err := sc.Credentials().List(ctx, userID, typ)
		if err != nil {
			return nil, store.AsIAM(err, "credential", "")
		}
		for _, c := range creds {
			hashes = append(hashes, c.Secret)
		}
	}
	if len(hashes) > n {
		hashes = hashes[:n]
	}
	return hashes, nil
}

// replacePassword makes hash the user's only password credential. With a
// history rule of n passwords the replaced hashes join the history, which
// keeps its newest n-1 entries; without one the history is dropped.
func replacePassword(ctx context.Context, sc store.Scope, realm *iam.Realm, userID, hash string, n int, now time.Time) error {
	creds := sc.Credentials()
	current, err := creds.List(ctx, userID, iam.CredPassword)
	if err != nil {
		return err
	}
	if n > 1 {
		for _, c := range current {
			h := &iam.Credential{ID: iam.NewID(), RealmID: realm.ID, UserID: userID, Type: iam.CredPasswordHistory, Secret: c.Secret, CreatedAt: now, UpdatedAt: now}
			if err := creds.Create(ctx, h); err != nil {
				return err
			}
		}
	}
	if _, err := creds.DeleteByType(ctx, userID, iam.CredPassword); err != nil {
		return err
	}
	history, err := creds.List(ctx, userID, iam.CredPasswordHistory)
	if err != nil {
		return err
	}
	slices.SortStableFunc(history, func(a, b *iam.Credential) int { return b.CreatedAt.Compare(a.CreatedAt) })
	for i, c := range history {
		if i >= max(n-1, 0) {
			if err := creds.Delete(ctx, c.ID); err != nil {
				return err
			}
		}
	}
	c := &iam.Credential{ID: iam.NewID(), RealmID: realm.ID, UserID: userID, Type: iam.CredPassword, Secret: hash, CreatedAt: now, UpdatedAt: now}
	return creds.Create(ctx, c)
}
