package iam

import "time"

// Purposes of one-time codes and links.
const (
	PurposeSignIn       = "sign_in"
	PurposeVerifyEmail  = "verify_email"
	PurposeVerifyPhone  = "verify_phone"
	PurposeResetPass    = "reset_password"
	PurposeMagicLink    = "magic_link"
	PurposeMFA          = "mfa"
	PurposeEmailChange  = "email_change"
	PurposeSignup       = "signup"
	PurposeAuthCode     = "auth_code" // OAuth authorization codes
	PurposeInvitation   = "invitation"
	PurposeAccountMerge = "account_merge"
)

// OneTimeCode is a one-time code or link token. Only Hash is stored; the clear
// value exists in the message that carries it. Handle is an opaque value the
// client keeps (a "session" of a multi-step flow) to find the code again.
type OneTimeCode struct {
	ID           string
	RealmID      string
	UserID       string
	Purpose      string
	Target       string // where it was sent: an e-mail or E.164 phone
	Hash         string
	Handle       string
	AttemptsLeft int
	Data         map[string]string
	CreatedAt    time.Time
	ExpiresAt    time.Time
	ConsumedAt   *time.Time
}

// Usable reports whether the code may still be tried at now.
func (c *OneTimeCode) Usable(now time.Time) bool {
	return c.ConsumedAt == nil && c.AttemptsLeft > 0 && now.Before(c.ExpiresAt)
}
