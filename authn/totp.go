package authn

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"

	"iamd/iam"
	"iamd/store"
)

// How a TOTP credential (iam.CredTOTP) is stored:
//
//   - Secret: with Service.Unseal set, the standard (padded) base64 of the
//     seed sealed with the master key, no additional data; Unseal returns
//     the seed as RFC 4648 base32 text (padding and case do not matter).
//     With Unseal nil, Secret is that base32 text itself.
//   - Data (all optional): "digits" ("6" default, or "8"), "period"
//     (seconds, default 30), "algorithm" ("SHA1" default, "SHA256",
//     "SHA512"), and "last_step", the time step of the last accepted code,
//     which VerifyTOTP writes.
const (
	totpSkew        = 1           // steps accepted either side of now
	purposeTOTPStep = "totp_step" // a claimed (credential, step): replay guard
)

// totpStepSpace names the ids of step claims; any fixed UUID would do.
var totpStepSpace = uuid.MustParse("6f1e3c52-7a0d-4c9e-9a57-2f3b8d1c4e60")

// HasTOTP reports whether the user has at least one TOTP credential.
// An unknown user has none.
func (s *Service) HasTOTP(ctx context.Context, realm *iam.Realm, userID string) (bool, error) {
	if !iam.ValidID(userID) {
		return false, nil
	}
	creds, err := s.Store.Realm(realm.ID).Credentials().List(ctx, userID, iam.CredTOTP)
	if err != nil {
		return false, store.AsIAM(err, "credential", "")
	}
	return len(creds) > 0, nil
}

// VerifyTOTP checks a code from the user's authenticator app against each
// of the user's TOTP credentials, allowing one time step of clock skew
// either way. A code is accepted once: its time step is claimed with a
// unique record (so two racing submissions, even on two servers, have one
// winner) and remembered as the credential's "last_step", and no code of
// that step or an earlier one is accepted again. A wrong or replayed code
// counts as an OTP failure toward the lockout.
//
// Errors: CodeRateLimited (too many attempts from ip), CodeInvalid (no code
// given), CodeNotFound (no such user), CodeForbidden (user disabled),
// CodeLocked, CodePrecondition (the user has no TOTP credential),
// CodeUnauthorized (wrong or already used code).
func (s *Service) VerifyTOTP(ctx context.Context, realm *iam.Realm, userID, code, ip string) error {
	now := s.now()
	if !s.Throttle.Allow(ip, now) {
		return iam.Errorf(iam.CodeRateLimited, "too many attempts from this address, try again later")
	}
	code = strings.Join(strings.Fields(code), "")
	if code == "" {
		return iam.Invalid("code", "enter the code from your authenticator app")
	}
	sc := s.Store.Realm(realm.ID)
	user, err := s.factorUser(ctx, sc, userID, now)
	if err != nil {
		return err
	}
	creds, err := totpCredentials(ctx, sc, user.ID)
	if err != nil {
		return err
	}
	ok, err := s.matchUserTOTP(ctx, realm, sc, creds, code, now)
	if err != nil {
		return err
	}
	if ok {
		return s.clearOTPFailures(ctx, realm, user)
	}
	if err := s.recordFailure(ctx, realm, user, true, ip); err != nil {
		return err
	}
	return wrongFactorCode()
}

// factorUser returns the user about to prove a second factor: live,
// enabled and not locked (CodeNotFound, CodeForbidden, CodeLocked).
func (s *Service) factorUser(ctx context.Context, sc store.Scope, userID string, now time.Time) (*iam.User, error) {
	if !iam.ValidID(userID) {
		return nil, iam.NotFound("user")
	}
	user, err := sc.Users().Get(ctx, userID)
	if err == nil && user.Deleted() {
		err = store.ErrNotFound
	}
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	if !user.Enabled {
		return nil, iam.Errorf(iam.CodeForbidden, "the account is disabled")
	}
	if user.Lockout.Locked(now) {
		return nil, lockedError()
	}
	return user, nil
}

// totpCredentials lists the user's TOTP credentials; none is
// CodePrecondition.
func totpCredentials(ctx context.Context, sc store.Scope, userID string) ([]*iam.Credential, error) {
	creds, err := sc.Credentials().List(ctx, userID, iam.CredTOTP)
	if err != nil {
		return nil, store.AsIAM(err, "credential", "")
	}
	if len(creds) == 0 {
		return nil, iam.Errorf(iam.CodePrecondition, "no authenticator app is set up for this account")
	}
	return creds, nil
}

// matchUserTOTP reports whether code is a current, not yet used code of
// one of creds, claiming its time step when it is. A replayed code is no
// match. It neither counts failures nor clears them.
func (s *Service) matchUserTOTP(ctx context.Context, realm *iam.Realm, sc store.Scope, creds []*iam.Credential, code string, now time.Time) (bool, error) {
	opened := 0
	for _, c := range creds {
		seed, err := s.totpSeed(c)
		if err != nil {
			slog.WarnContext(ctx, "TOTP seed cannot be opened", "realm", realm.Name, "user_id", c.UserID, "credential_id", c.ID, "error", err.Error())
			continue
		}
		opened++
		step, ok := matchTOTP(seed, c.Data, code, now)
		if !ok {
			continue
		}
		return s.claimStep(ctx, sc, c, step, now) // false: a replay
	}
	if opened == 0 {
		return false, iam.Internal(errors.New("authn: no TOTP seed of the user can be opened"))
	}
	return false, nil
}

// clearOTPFailures resets the failure counters after a second factor
// succeeded, when there were OTP failures.
func (s *Service) clearOTPFailures(ctx context.Context, realm *iam.Realm, user *iam.User) error {
	if user.Lockout.OTPFailures == 0 {
		return nil
	}
	return s.clearFailures(ctx, realm, user)
}

func wrongFactorCode() error {
	return iam.Errorf(iam.CodeUnauthorized, "the authentication code is wrong")
}

// totpSeed returns the base32 seed of c.
func (s *Service) totpSeed(c *iam.Credential) (string, error) {
	if s.Unseal == nil {
		return c.Secret, nil
	}
	sealed, err := base64.StdEncoding.DecodeString(c.Secret)
	if err != nil {
		return "", err
	}
	seed, err := s.Unseal(sealed)
	if err != nil {
		return "", err
	}
	return string(seed), nil
}

// matchTOTP returns the time step whose code equals code, trying now's
// step and totpSkew steps either side.
func matchTOTP(seed string, data map[string]string, code string, now time.Time) (int64, bool) {
	period := int64(30)
	if p, err := strconv.ParseInt(data["period"], 10, 64); err == nil && p > 0 && p <= 300 {
		period = p
	}
	opts := hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	if data["digits"] == "8" {
		opts.Digits = otp.DigitsEight
	}
	switch strings.ToUpper(data["algorithm"]) {
	case "SHA256":
		opts.Algorithm = otp.AlgorithmSHA256
	case "SHA512":
		opts.Algorithm = otp.AlgorithmSHA512
	}
	if len(code) != opts.Digits.Length() {
		return 0, false
	}
	current := now.Unix() / period
	for step := current + totpSkew; step >= current-totpSkew; step-- {
		want, err := hotp.GenerateCodeCustom(seed, uint64(step), opts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// claimStep records that c accepted step. It reports false when the step
// (or a later one) was accepted before: a replay. The claim is a record
// with an id derived from the credential and the step, so a second claim
// is a unique-key conflict whichever server makes it; it lives until the
// step can no longer be valid.
func (s *Service) claimStep(ctx context.Context, sc store.Scope, c *iam.Credential, step int64, now time.Time) (bool, error) {
	if last, err := strconv.ParseInt(c.Data["last_step"], 10, 64); err == nil && step <= last {
		return false, nil
	}
	id := uuid.NewSHA1(totpStepSpace, []byte(c.ID+"/"+strconv.FormatInt(step, 10))).String()
	claim := &iam.OneTimeCode{
		ID: id, RealmID: c.RealmID, UserID: c.UserID, Purpose: purposeTOTPStep,
		Hash: iam.HashToken(id), CreatedAt: now, ConsumedAt: &now,
		// Longer than a step stays valid: 2*totpSkew+1 periods of at most 300 s.
		ExpiresAt: now.Add(20 * time.Minute),
	}
	if err := sc.Codes().Create(ctx, claim); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return false, nil
		}
		return false, store.AsIAM(err, "credential", "")
	}
	data := make(map[string]string, len(c.Data)+1)
	for k, v := range c.Data {
		data[k] = v
	}
	data["last_step"] = strconv.FormatInt(step, 10)
	c.Data, c.UpdatedAt = data, now
	if err := sc.Credentials().Update(ctx, c); err != nil {
		// The claim already refuses a replay of this step; the next
		// success writes last_step again.
		slog.WarnContext(ctx, "TOTP last step not saved", "credential_id", c.ID, "error", err.Error())
	}
	return true, nil
}
