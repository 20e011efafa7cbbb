package iam

import "time"

// Credential types.
const (
	CredPassword        = "password"         // Secret: PHC string (argon2id) or an imported hash
	CredPasswordHistory = "password_history" // an earlier password hash, for the history rule
	CredTOTP            = "totp"             // Secret: the TOTP seed sealed with the master key
	CredRecoveryCode    = "recovery_code"    // Secret: hash of one MFA recovery code
	CredSocial          = "social"           // Label: provider, Secret: "" ; Data holds the subject
)

// Credential is one way a user proves who they are. Secret is always a hash
// or sealed (encrypted) value, never a clear secret.
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
