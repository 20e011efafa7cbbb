package authn

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"image/png"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp/totp"

	"iamd/iam"
	"iamd/store"
)

// MFA with an authenticator app (TOTP, RFC 6238) in two steps, as
// authenticator apps expect: StartTOTPEnrollment makes a key and shows it
// (text and QR code); EnableTOTP turns MFA on once the user types a code
// the app computed from it, proving the app holds the key. Until then the
// key waits as a pending enrolment — a one-time code record of the user,
// holding the sealed seed — and MFA stays off.

// TOTPEnrollmentTTL is how long a new key waits for its first code.
const TOTPEnrollmentTTL = 30 * time.Minute

// purposeTOTPEnrollment marks a pending enrolment. Its handle is the
// user's id, so that the newest one is found without a session.
const purposeTOTPEnrollment = "totp_enrollment"

// qrSize is the width and height of the QR code PNG, in pixels.
const qrSize = 256

// TOTPEnrollment is a new authenticator key waiting for its first code.
type TOTPEnrollment struct {
	Secret    string // base32, for typing into an authenticator by hand
	URI       string // the otpauth://totp/… key URI the QR code holds
	QRCodePNG []byte
	ExpiresAt time.Time
}

// StartTOTPEnrollment makes a new authenticator key for the user (SHA-1,
// 6 digits, 30 seconds: what every authenticator app reads), named by the
// realm and the username, and keeps it, sealed, as the user's pending
// enrolment for TOTPEnrollmentTTL. A newer enrolment replaces an older
// one.
//
// Errors: CodeNotFound (no such live user), CodeForbidden (disabled),
// CodeConflict when MFA is already on (it must be disabled first: the
// key in use is never shown again).
func (s *Service) StartTOTPEnrollment(ctx context.Context, realm *iam.Realm, userID string) (*TOTPEnrollment, error) {
	u, err := s.liveUser(ctx, realm, userID)
	if err != nil {
		return nil, err
	}
	on, err := s.HasTOTP(ctx, realm, u.ID)
	if err != nil {
		return nil, err
	}
	if on {
		return nil, iam.Conflict("MFA is already enabled; disable it first to set up a new authenticator")
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer(realm), AccountName: u.Username})
	if err != nil {
		return nil, iam.Internal(err)
	}
	img, err := key.Image(qrSize, qrSize)
	if err != nil {
		return nil, iam.Internal(err)
	}
	var qr bytes.Buffer
	if err := png.Encode(&qr, img); err != nil {
		return nil, iam.Internal(err)
	}
	now := s.now()
	c := &iam.OneTimeCode{
		ID: iam.NewID(), RealmID: realm.ID, UserID: u.ID, Purpose: purposeTOTPEnrollment, Handle: u.ID,
		AttemptsLeft: realm.Settings.BruteForce.Effective().MaxOTPFailures,
		Data:         map[string]string{"seed": s.sealSeed(key.Secret()), "digits": "6", "period": "30", "algorithm": "SHA1"},
		CreatedAt:    now, ExpiresAt: now.Add(TOTPEnrollmentTTL),
	}
	c.Hash = iam.HashToken(c.ID) // not a secret: the record is found by handle
	if err := s.Store.Realm(realm.ID).Codes().Create(ctx, c); err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	return &TOTPEnrollment{Secret: key.Secret(), URI: key.URL(), QRCodePNG: qr.Bytes(), ExpiresAt: c.ExpiresAt}, nil
}

// totpIssuer names the realm in authenticator apps; the key URI format
// reserves ":" in it.
func totpIssuer(realm *iam.Realm) string {
	name := strings.TrimSpace(realm.DisplayName)
	if name == "" {
		name = realm.Name
	}
	return strings.ReplaceAll(name, ":", " ")
}

// sealSeed is the stored form of a base32 seed (see VerifyTOTP).
func (s *Service) sealSeed(seed string) string {
	if s.Seal == nil {
		return seed
	}
	return base64.StdEncoding.EncodeToString(s.Seal([]byte(seed)))
}

// EnableTOTP turns MFA on with the user's newest pending enrolment, when
// code is a current code of its key, and returns new recovery codes of
// form kind ("" for RecoveryEightDigit), in the clear: they are shown
// once. The key becomes the user's TOTP credential, with the accepted
// code's time step spent, so the same code cannot also sign in. A wrong
// code spends one of the enrolment's attempts and counts as an OTP
// failure toward the lockout.
//
// Errors: CodeRateLimited; CodeInvalid ("code", "type"); CodeNotFound,
// CodeForbidden, CodeLocked for the user; CodeConflict when MFA is
// already on; CodePrecondition when there is no usable pending enrolment
// (none, expired, used, or out of attempts); CodeUnauthorized for a wrong
// code (a *CodeRejected with the attempts left).
func (s *Service) EnableTOTP(ctx context.Context, realm *iam.Realm, userID, code string, kind RecoveryCodeType, ip string) ([]string, error) {
	now := s.now()
	if !s.Throttle.Allow(ip, now) {
		return nil, iam.Errorf(iam.CodeRateLimited, "too many attempts from this address, try again later")
	}
	if kind == "" {
		kind = RecoveryCodeTypes[0]
	}
	if !slices.Contains(RecoveryCodeTypes, kind) {
		return nil, iam.Invalid("type", "the recovery code type must be one of SIX_DIGIT, EIGHT_DIGIT, ALPHA_NUMERIC")
	}
	code = strings.Join(strings.Fields(code), "")
	if code == "" {
		return nil, iam.Invalid("code", "enter the code from your authenticator app")
	}
	sc := s.Store.Realm(realm.ID)
	user, err := s.factorUser(ctx, sc, userID, now)
	if err != nil {
		return nil, err
	}
	pending, err := s.pendingEnrollment(ctx, sc, user.ID, now)
	if err != nil {
		return nil, err
	}
	seed, err := s.totpSeed(&iam.Credential{Secret: pending.Data["seed"]})
	if err != nil {
		return nil, iam.Internal(err)
	}
	left, err := sc.Codes().SpendAttempt(ctx, pending.ID)
	if errors.Is(err, store.ErrConflict) {
		return nil, noEnrollment()
	} else if err != nil {
		return nil, store.AsIAM(err, "code", "")
	}
	step, ok := matchTOTP(seed, pending.Data, code, now)
	if !ok {
		if err := s.recordFailure(ctx, realm, user, true, ip); err != nil {
			if iam.IsCode(err, iam.CodeLocked) {
				return nil, &CodeRejected{Err: err}
			}
			return nil, err
		}
		return nil, &CodeRejected{Left: left, Err: wrongFactorCode()}
	}
	var recovery []string
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		if err := sc.Codes().Consume(ctx, pending.ID, now); errors.Is(err, store.ErrConflict) {
			return noEnrollment()
		} else if err != nil {
			return err
		}
		existing, err := sc.Credentials().List(ctx, user.ID, iam.CredTOTP)
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			return iam.Conflict("MFA is already enabled")
		}
		data := map[string]string{"last_step": strconv.FormatInt(step, 10)}
		for _, k := range []string{"digits", "period", "algorithm"} {
			data[k] = pending.Data[k]
		}
		cred := &iam.Credential{ID: iam.NewID(), RealmID: realm.ID, UserID: user.ID, Type: iam.CredTOTP, Label: "authenticator app",
			Secret: pending.Data["seed"], Data: data, CreatedAt: now, UpdatedAt: now}
		if err := sc.Credentials().Create(ctx, cred); err != nil {
			return err
		}
		if recovery, err = s.replaceRecoveryCodes(ctx, sc, realm, user.ID, kind, now); err != nil {
			return err
		}
		return sc.Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: iam.EventMFAEnabled, UserID: user.ID, ActorID: user.ID, IP: ip,
			Detail: map[string]string{"method": "totp", "recovery_codes": string(kind)}, CreatedAt: now})
	})
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	return recovery, s.clearOTPFailures(ctx, realm, user)
}

// pendingEnrollment returns the user's newest enrolment if it can still
// be completed; CodePrecondition otherwise.
func (s *Service) pendingEnrollment(ctx context.Context, sc store.Scope, userID string, now time.Time) (*iam.OneTimeCode, error) {
	c, err := sc.Codes().GetByHandle(ctx, userID, purposeTOTPEnrollment)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (c.UserID != userID || !c.Usable(now) || c.Data["seed"] == "")) {
		return nil, noEnrollment()
	}
	if err != nil {
		return nil, store.AsIAM(err, "code", "")
	}
	return c, nil
}

func noEnrollment() error {
	return iam.Errorf(iam.CodePrecondition, "no authenticator key is waiting to be confirmed; request a new key")
}

// MFAStatus reports whether the user has MFA on.
//
// Errors: CodeNotFound (no such live user), CodeForbidden (disabled).
func (s *Service) MFAStatus(ctx context.Context, realm *iam.Realm, userID string) (bool, error) {
	if _, err := s.liveUser(ctx, realm, userID); err != nil {
		return false, err
	}
	return s.HasTOTP(ctx, realm, userID)
}

// Second-factor methods (RFC 8176 amr values) MFASignIn reports.
const (
	AMROTP      = "otp" // a code of the authenticator app
	AMRRecovery = "mfa" // a recovery code: a second factor, but not the app
)

// MFASignIn checks login and password (PasswordSignIn) and then code: a
// current code of the user's authenticator app or one of their unused
// recovery codes, which it spends. It returns the user and the second
// factor used (AMROTP or AMRRecovery). A wrong code counts as an OTP
// failure toward the lockout.
//
// Errors: those of PasswordSignIn; CodeInvalid ("code") without a code;
// CodePrecondition when the user has no MFA; CodeLocked;
// CodeUnauthorized for a wrong, replayed or used code.
func (s *Service) MFASignIn(ctx context.Context, realm *iam.Realm, login, password, code, ip string) (*iam.User, string, error) {
	code = strings.Join(strings.Fields(code), "")
	if code == "" {
		return nil, "", iam.Invalid("code", "enter the code from your authenticator app or a recovery code")
	}
	u, err := s.PasswordSignIn(ctx, realm, login, password, ip)
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	sc := s.Store.Realm(realm.ID)
	creds, err := totpCredentials(ctx, sc, u.ID)
	if err != nil {
		return nil, "", err
	}
	if u, err = s.factorUser(ctx, sc, u.ID, now); err != nil { // fresh lockout counters
		return nil, "", err
	}
	method := AMROTP
	ok, err := s.matchUserTOTP(ctx, realm, sc, creds, code, now)
	if err == nil && !ok {
		method = AMRRecovery
		ok, err = s.useRecoveryCode(ctx, realm, u, code, ip, now)
	}
	if err != nil {
		return nil, "", err
	}
	if !ok {
		if err := s.recordFailure(ctx, realm, u, true, ip); err != nil {
			return nil, "", err
		}
		return nil, "", wrongFactorCode()
	}
	return u, method, s.clearOTPFailures(ctx, realm, u)
}

// DisableMFA turns MFA off for the signed-in user after checking their
// password (a wrong one counts toward the lockout): the authenticator
// key and the recovery codes are deleted. Turning off MFA that is off
// succeeds and changes nothing.
//
// Errors: those of ConfirmPassword (CodeRateLimited, CodeNotFound,
// CodeLocked, CodeUnauthorized for a wrong password or a user without
// one).
func (s *Service) DisableMFA(ctx context.Context, realm *iam.Realm, userID, password, ip string) error {
	u, err := s.ConfirmPassword(ctx, realm, userID, password, ip)
	if err != nil {
		return err
	}
	_, err = s.RemoveMFA(ctx, realm, u.ID, u.ID)
	return err
}

// RemoveMFA deletes the user's authenticator keys and recovery codes on
// actorID's request (the user, or an administrator helping one who lost
// their phone) and reports whether there were any. Pending enrolments
// are left to expire.
//
// Errors: CodeNotFound for an unknown or deleted user.
func (s *Service) RemoveMFA(ctx context.Context, realm *iam.Realm, userID, actorID string) (bool, error) {
	removed := false
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		// A disabled user's MFA can be removed too (an administrator
		// preparing to re-enable the account).
		u, err := sc.Users().Get(ctx, userID)
		if err == nil && u.Deleted() {
			err = store.ErrNotFound
		}
		if err != nil {
			return err
		}
		n, err := sc.Credentials().DeleteByType(ctx, u.ID, iam.CredTOTP)
		if err != nil {
			return err
		}
		if _, err := sc.Credentials().DeleteByType(ctx, u.ID, iam.CredRecoveryCode); err != nil {
			return err
		}
		if removed = n > 0; !removed {
			return nil
		}
		return sc.Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: iam.EventMFADisabled, UserID: u.ID, ActorID: actorID,
			Detail: map[string]string{"method": "totp"}, CreatedAt: s.now()})
	})
	return removed, store.AsIAM(err, "user", "")
}

// RemoveMFAByEmail is RemoveMFA for the live user whose e-mail address is
// email (matched exactly, ignoring case), on an administrator's request.
//
// Errors: CodeInvalid ("email") for a malformed address; CodeNotFound
// when no live user has it.
func (s *Service) RemoveMFAByEmail(ctx context.Context, realm *iam.Realm, email, actorID string) (bool, error) {
	u, _, err := s.Directory.UsersByContact(ctx, realm, email, "")
	if err != nil {
		return false, err
	}
	if u == nil {
		return false, iam.NotFound("user")
	}
	return s.RemoveMFA(ctx, realm, u.ID, actorID)
}
