package iam

import "time"

// Organization is a business account inside a realm (document 000's
// tenant). Num is its numeric id, unique across the server.
type Organization struct {
	ID          string
	Num         int64
	RealmID     string
	Name        string
	DisplayName string
	Attributes  map[string]string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	DeletedAt   *time.Time
}

// Membership places a user in an organization with roles per app.
type Membership struct {
	RealmID   string
	OrgID     string
	UserID    string
	Roles     []OrgRole
	Status    string // "active" (default) or "inactive"
	CreatedAt time.Time
	UpdatedAt time.Time
}

// OrgRole is one role of a member for one app: document 000's appName +
// roleGroup (+ an optional short code).
type OrgRole struct {
	App       string `json:"app"`
	Role      string `json:"role"`
	ShortCode string `json:"short_code,omitempty"`
}
