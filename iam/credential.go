package iam

import "time"

// Credential types.
const (
	CredPassword        = "password"         // Secret: PHC string (argon2id) or an imported hash
	CredPasswordHistory = "password_history" // an earlier password hash, for the history rule
	CredTOTP            = "totp"             // Secret: the TOTP seed sealed with the master key
	CredRecoveryCode    = "recovery_code"    // Secret: hash of one MFA recovery code
	// CredSocial links the user to an upstream identity: Label is the
	// provider's name (SocialProvider.Name), Secret its subject for the
	// user — an identifier, not a secret, kept in that column because the
	// store looks it up there (Credentials.FindSocial) and keeps it unique
	// per provider; Data may hold the e-mail it came with.
	CredSocial = "social"
)

// Credential is one way a user proves who they are. Secret is always a hash
// or sealed (encrypted) value, never a clear secret (CredSocial's is an
// identifier, which is no secret).
type Credential struct {
	ID        string
	RealmID   string
	UserID    string
	Type      string
	Label     string
	Secret    string
	Data      map[string]string
	CreatedAt time.Time
	UpdatedAt time.Time
}
