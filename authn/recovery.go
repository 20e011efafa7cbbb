package authn

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"errors"
	"math/big"
	"strconv"
	"strings"
	"time"

	"iamd/iam"
	"iamd/store"
)

// Recovery codes let a user who lost their authenticator app pass the
// second factor: each works once. They are made when MFA is enabled,
// shown once, and stored like one-time codes — a hash keyed with the
// server's code key (six digits have too little entropy for a plain hash)
// — as iam.CredRecoveryCode credentials, one per code, so that using one
// is deleting it: of two racing uses exactly one wins.

// RecoveryCodeType is the form of a user's recovery codes (document
// 000's mfaType).
type RecoveryCodeType string

// The forms document 000 names.
const (
	RecoverySixDigit     RecoveryCodeType = "SIX_DIGIT"
	RecoveryEightDigit   RecoveryCodeType = "EIGHT_DIGIT"
	RecoveryAlphanumeric RecoveryCodeType = "ALPHA_NUMERIC" // 10 characters, no look-alikes (0/O, 1/I/L)
)

// RecoveryCodeTypes lists the forms, the default first.
var RecoveryCodeTypes = []RecoveryCodeType{RecoveryEightDigit, RecoverySixDigit, RecoveryAlphanumeric}

// RecoveryCodeCount is how many recovery codes enabling MFA makes.
const RecoveryCodeCount = 10

const (
	recoveryDigits  = "0123456789"
	recoveryLetters = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
)

// newRecoveryCodes returns RecoveryCodeCount distinct codes of form t.
func newRecoveryCodes(t RecoveryCodeType) []string {
	alphabet, n := recoveryDigits, 8
	switch t {
	case RecoverySixDigit:
		n = 6
	case RecoveryAlphanumeric:
		alphabet, n = recoveryLetters, 10
	}
	seen := make(map[string]bool, RecoveryCodeCount)
	out := make([]string, 0, RecoveryCodeCount)
	for len(out) < RecoveryCodeCount {
		c := recoveryString(alphabet, n)
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

func recoveryString(alphabet string, n int) string {
	b := make([]byte, n)
	max := big.NewInt(int64(len(alphabet)))
	for i := range b {
		k, _ := rand.Int(rand.Reader, max)
		b[i] = alphabet[k.Int64()]
	}
	return string(b)
}

// normalizeRecoveryCode is how a typed code is compared: without spaces
// or hyphens, upper case.
func normalizeRecoveryCode(code string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' || r == '\t' {
			return -1
		}
		return r
	}, code))
}

// replaceRecoveryCodes makes a new set of recovery codes of form t for
// the user through sc (a transaction's scope), dropping any earlier set,
// and returns them in the clear.
func (s *Service) replaceRecoveryCodes(ctx context.Context, sc store.Scope, realm *iam.Realm, userID string, t RecoveryCodeType, now time.Time) ([]string, error) {
	if _, err := sc.Credentials().DeleteByType(ctx, userID, iam.CredRecoveryCode); err != nil {
		return nil, err
	}
	codes := newRecoveryCodes(t)
	for _, code := range codes {
		c := &iam.Credential{ID: iam.NewID(), RealmID: realm.ID, UserID: userID, Type: iam.CredRecoveryCode,
			Data: map[string]string{"type": string(t)}, CreatedAt: now, UpdatedAt: now}
		c.Secret = s.codeHash(c.ID, code)
		if err := sc.Credentials().Create(ctx, c); err != nil {
			return nil, err
		}
	}
	return codes, nil
}

// useRecoveryCode spends one of the user's recovery codes when code is
// one of them, and reports whether it was. It neither counts failures
// nor clears them.
func (s *Service) useRecoveryCode(ctx context.Context, realm *iam.Realm, user *iam.User, code, ip string, now time.Time) (bool, error) {
	code = normalizeRecoveryCode(code)
	if code == "" || len(code) > 64 {
		return false, nil
	}
	sc := s.Store.Realm(realm.ID)
	creds, err := sc.Credentials().List(ctx, user.ID, iam.CredRecoveryCode)
	if err != nil {
		return false, store.AsIAM(err, "credential", "")
	}
	for _, c := range creds {
		if !hmac.Equal([]byte(s.codeHash(c.ID, code)), []byte(c.Secret)) {
			continue
		}
		// Deleting is the use: a racing use of the same code finds it gone.
		if err := sc.Credentials().Delete(ctx, c.ID); errors.Is(err, store.ErrNotFound) {
			return false, nil
		} else if err != nil {
			return false, store.AsIAM(err, "credential", "")
		}
		_ = sc.Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: iam.EventRecoveryCodeUsed, UserID: user.ID, IP: ip,
			Detail: map[string]string{"left": strconv.Itoa(len(creds) - 1)}, CreatedAt: now})
		return true, nil
	}
	return false, nil
}
