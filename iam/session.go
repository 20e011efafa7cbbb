package iam

import "time"

// Session is one sign-in of a user: the SSO session of the hosted pages
// and the root of refresh-token families.
type Session struct {
	ID         string
	RealmID    string
	UserID     string
	OrgID      string // the current organization, if any
	AMR        []string
	ACR        string
	IP         string
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
}

// Active reports whether the session may still be used at now.
func (s *Session) Active(now time.Time) bool {
	return s.RevokedAt == nil && now.Before(s.ExpiresAt)
}

// RefreshToken is one member of a rotation family. Only Hash (of the opaque
// token) is stored. Using a token sets UsedAt and records its SuccessorID;
// reusing a used token outside the grace window revokes the whole family.
type RefreshToken struct {
	ID          string
	RealmID     string
	SessionID   string
	FamilyID    string
	ParentID    string
	Hash        string
	AppID       string
	UserID      string
	OrgID       string
	Scope       string
	CreatedAt   time.Time
	ExpiresAt   time.Time
	UsedAt      *time.Time
	SuccessorID string
	RevokedAt   *time.Time
}
