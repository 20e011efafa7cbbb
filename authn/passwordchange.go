package authn

import (
	"context"
	"errors"
	"strings"

	"iamd/directory"
	"iamd/iam"
)

// ChangeOwnPassword is a signed-in user changing their password: the
// current one first (ConfirmPassword: a wrong one counts toward the
// lockout), then the new one as directory.ChangePassword sets it (policy,
// history). Every other session and refresh token of the user is
// revoked; sessionID, the caller's own, stays signed in.
//
// Errors: those of ConfirmPassword, a wrong or missing current password
// naming field "currentPassword"; CodeInvalid ("password") for a new
// password the policy or history refuses.
func (s *Service) ChangeOwnPassword(ctx context.Context, realm *iam.Realm, userID, sessionID, current, newPassword, ip string) error {
	if _, err := s.ConfirmPassword(ctx, realm, userID, current, ip); err != nil {
		if e := (*iam.Error)(nil); errors.As(err, &e) && e.Code == iam.CodeUnauthorized && e.Field == "" {
			return &iam.Error{Code: e.Code, Field: "currentPassword", Message: e.Message}
		}
		return err
	}
	return s.Directory.ChangePassword(ctx, realm, userID, newPassword, directory.PasswordChange{By: "self", ActorID: userID, KeepSessionID: sessionID})
}

// AdminSetPassword is an administrator (actorID) setting the password of
// the user login names — an e-mail address, a phone number or a username,
// read as StartPasswordReset reads it — with directory.SetPassword: the
// realm's policy and history apply, and every session and refresh token
// of the user is revoked.
//
// Errors: CodeInvalid ("login"; "password" for a password the policy or
// history refuses); CodeNotFound for an unknown login.
func (s *Service) AdminSetPassword(ctx context.Context, realm *iam.Realm, login, newPassword, actorID string) (*iam.User, error) {
	u, _, _, err := s.resetTarget(ctx, realm, login)
	if iam.IsCode(err, iam.CodePrecondition) { // no address to send a code to: irrelevant here
		u, err = s.Directory.FindUser(ctx, realm, strings.TrimSpace(login))
	}
	if err != nil {
		return nil, err
	}
	return u, s.Directory.SetPassword(ctx, realm, u.ID, newPassword, false, actorID)
}
