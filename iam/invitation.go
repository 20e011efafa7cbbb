package iam

import "time"

// Invitation asks someone (by e-mail or phone) to join an organization with
// the given roles. Only TokenHash of the link token is stored.
type Invitation struct {
	ID         string
	RealmID    string
	OrgID      string
	Email      string
	Phone      string
	Roles      []OrgRole
	InvitedBy  string
	TokenHash  string
	Status     string // "pending", "accepted", "revoked"
	CreatedAt  time.Time
	ExpiresAt  time.Time
	AcceptedAt *time.Time
	UserID     string // the user who accepted
}

// Invitation states.
const (
	InvitePending  = "pending"
	InviteAccepted = "accepted"
	InviteRevoked  = "revoked"
)
