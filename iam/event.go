package iam

import "time"

// Event is an append-only audit record of a security-relevant action.
type Event struct {
	ID        string
	RealmID   string
	Type      string
	UserID    string
	ActorID   string
	AppID     string
	IP        string
	Detail    map[string]string // never holds a secret
	CreatedAt time.Time
}

// Audit event types.
const (
	EventUserCreated      = "user.created"
	EventUserUpdated      = "user.updated"
	EventUserDeleted      = "user.deleted"
	EventUserLocked       = "user.locked"
	EventUserUnlocked     = "user.unlocked"
	EventLoginSucceeded   = "login.succeeded"
	EventLoginFailed      = "login.failed"
	EventPasswordChanged  = "password.changed"
	EventPasswordRehashed = "password.rehashed"
	EventOTPFailed        = "otp.failed"
	EventAppCreated       = "app.created"
	EventAppDeleted       = "app.deleted"
	EventRealmCreated     = "realm.created"
	EventRoleGranted      = "role.granted"
	EventRoleRevoked      = "role.revoked"
	EventLogout           = "logout"         // a session ended at the user's or its app's request
	EventTokenRevoked     = "token.revoked"  // an app revoked a token (RFC 7009)
	EventTokenReplayed    = "token.replayed" // a used code or refresh token came back; what it issued is revoked
)
