package iam

// Audit event types of second factors and password recovery (package
// authn).
const (
	EventMFAEnabled             = "mfa.enabled"              // an authenticator app was enrolled
	EventMFADisabled            = "mfa.disabled"             // the user's or an administrator's request removed it
	EventRecoveryCodeUsed       = "mfa.recovery_code_used"   // Detail "left": codes remaining
	EventPasswordResetRequested = "password.reset_requested" // a reset code was sent; Detail "channel"
)
