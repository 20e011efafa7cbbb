package authn

import (
	"context"
	"log/slog"
	"strings"

	"iamd/iam"
	"iamd/store"
)

// ConfirmPassword re-authenticates the live user userID, who is already
// signed in, with password before a destructive change (deleting the
// account, resetting or deleting an organization). A wrong password
// counts toward the user's lockout, as at sign-in.
//
// Errors: CodeRateLimited (ip made too many attempts); CodeNotFound for
// an unknown or deleted user; CodeLocked when the user is locked (no
// password is tried then); CodeUnauthorized for a wrong password, or when
// the user has none (a user who signs in by code or socially only).
func (s *Service) ConfirmPassword(ctx context.Context, realm *iam.Realm, userID, password, ip string) (*iam.User, error) {
	if !s.Throttle.Allow(ip, s.now()) {
		return nil, iam.Errorf(iam.CodeRateLimited, "too many attempts from this address, try again later")
	}
	u, err := s.Directory.GetUser(ctx, realm, userID)
	if err != nil {
		return nil, err
	}
	if u.Lockout.Locked(s.now()) {
		return nil, lockedError()
	}
	wrong := iam.Errorf(iam.CodeUnauthorized, "the password is not correct")
	if password == "" || len(password) > 1024 {
		return nil, wrong
	}
	creds, err := s.Store.Realm(realm.ID).Credentials().List(ctx, u.ID, iam.CredPassword)
	if err != nil {
		return nil, store.AsIAM(err, "credential", "")
	}
	if len(creds) == 0 {
		_ = s.Passwords.VerifyUnknownUser(ctx, password)
		return nil, iam.Errorf(iam.CodeUnauthorized, "the account has no password")
	}
	ok, _, err := s.Passwords.Verify(ctx, password, creds[0].Secret)
	if err != nil && ctx.Err() != nil {
		return nil, iam.Errorf(iam.CodeUnavailable, "the request was cancelled")
	}
	if err != nil {
		slog.WarnContext(ctx, "stored password hash cannot be verified", "realm", realm.Name, "user_id", u.ID, "error", err.Error())
	}
	if !ok {
		if err := s.recordFailure(ctx, realm, u, false, ip); err != nil {
			return nil, err
		}
		return nil, wrong
	}
	return u, s.clearFailures(ctx, realm, u)
}

// AccountDeletion is a user's request to delete their own account.
type AccountDeletion struct {
	Reason   string // required, at most 255 characters; kept with the deleted user
	Password string // the current password
	// Social says the user signs in through a social provider and has
	// no password to give. It is honoured only for a user without a
	// password: anyone else must confirm with it, so that a stolen
	// access token alone cannot delete the account.
	Social bool
	IP     string
}

// DeleteAccount soft-deletes the live user userID at their own request,
// after confirming the password (see AccountDeletion.Social), and revokes
// every session and refresh token of it in the same transaction
// (directory.DeleteUser): the user's tokens stop working at once, and the
// username, e-mail and phone are free again.
//
// Errors: CodeInvalid ("reason") without a reason or with an overlong
// one, ("password") without a password where one is needed; those of
// ConfirmPassword.
func (s *Service) DeleteAccount(ctx context.Context, realm *iam.Realm, userID string, in AccountDeletion) error {
	if strings.TrimSpace(in.Reason) == "" {
		return iam.Invalid("reason", "a reason is required")
	}
	if len([]rune(strings.TrimSpace(in.Reason))) > 255 {
		return iam.Invalid("reason", "the reason is longer than 255 characters")
	}
	if in.Password == "" {
		has, err := s.hasPassword(ctx, realm, userID)
		if err != nil {
			return err
		}
		if !in.Social || has {
			return iam.Invalid("password", "the password is required to delete the account")
		}
	} else if _, err := s.ConfirmPassword(ctx, realm, userID, in.Password, in.IP); err != nil {
		return err
	}
	return s.Directory.DeleteUser(ctx, realm, userID, in.Reason, userID)
}

// hasPassword reports whether the live user has a password credential;
// CodeNotFound for an unknown user.
func (s *Service) hasPassword(ctx context.Context, realm *iam.Realm, userID string) (bool, error) {
	if _, err := s.Directory.GetUser(ctx, realm, userID); err != nil {
		return false, err
	}
	creds, err := s.Store.Realm(realm.ID).Credentials().List(ctx, userID, iam.CredPassword)
	if err != nil {
		return false, store.AsIAM(err, "credential", "")
	}
	return len(creds) > 0, nil
}

// OrgChange is an organization administrator's destructive change of an
// organization, confirmed with their password.
type OrgChange struct {
	UserID   string // the administrator
	OrgRef   string // the organization's UUID or numeric id
	Password string
	IP       string
}

// ResetOrganization confirms in.Password, then resets the organization as
// directory.ResetOrganization does (every other member removed, pending
// invitations revoked; the organization and its administrator stay).
//
// Errors: CodePrecondition without an organization (OrgRef ""); CodeInvalid
// ("password") without a password; those of ConfirmPassword (checked first, so that a stolen token alone learns
// nothing); CodeForbidden unless the user administers the organization.
func (s *Service) ResetOrganization(ctx context.Context, realm *iam.Realm, in OrgChange) (*iam.Organization, *iam.User, error) {
	u, err := s.confirmOrgChange(ctx, realm, in)
	if err != nil {
		return nil, nil, err
	}
	res, err := s.Directory.ResetOrganization(ctx, realm, in.OrgRef, u.ID)
	if err != nil {
		return nil, nil, err
	}
	return res.Organization, u, nil
}

// DeleteOrganization confirms in.Password, then soft-deletes the
// organization as directory.DeleteOrganization does (memberships ended,
// pending invitations revoked). Errors as ResetOrganization.
func (s *Service) DeleteOrganization(ctx context.Context, realm *iam.Realm, in OrgChange) (*iam.Organization, *iam.User, error) {
	u, err := s.confirmOrgChange(ctx, realm, in)
	if err != nil {
		return nil, nil, err
	}
	o, err := s.Directory.RequireOrgAdmin(ctx, s.Store, realm, in.OrgRef, u.ID)
	if err != nil {
		return nil, nil, err
	}
	if err := s.Directory.DeleteOrganization(ctx, realm, o.ID, u.ID); err != nil {
		if iam.IsCode(err, iam.CodeNotFound) { // deleted meanwhile
			return nil, nil, iam.Errorf(iam.CodeForbidden, "the organization no longer exists")
		}
		return nil, nil, err
	}
	return o, u, nil
}

func (s *Service) confirmOrgChange(ctx context.Context, realm *iam.Realm, in OrgChange) (*iam.User, error) {
	if in.OrgRef == "" {
		return nil, iam.Errorf(iam.CodePrecondition, "there is no current organization")
	}
	if in.Password == "" {
		return nil, iam.Invalid("password", "the password is required")
	}
	return s.ConfirmPassword(ctx, realm, in.UserID, in.Password, in.IP)
}
