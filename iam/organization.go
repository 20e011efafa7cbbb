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
	Status    string // MemberActive (also when "") or MemberInactive
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Membership states.
const (
	MemberActive   = "active"
	MemberInactive = "inactive"
)

// OrgAdmin is the role (document 000's roleGroup) that makes a member an
// administrator of the organization, for whichever app it is held.
const OrgAdmin = "admin"

// Active reports whether the membership entitles its user to the
// organization: tokens for it, its data.
func (m *Membership) Active() bool { return m.Status == "" || m.Status == MemberActive }

// Admin reports whether the membership is active and holds OrgAdmin.
func (m *Membership) Admin() bool {
	if !m.Active() {
		return false
	}
	for _, r := range m.Roles {
		if r.Role == OrgAdmin {
			return true
		}
	}
	return false
}

// OrgRole is one role of a member for one app: document 000's appName +
// roleGroup (+ an optional short code).
type OrgRole struct {
	App       string `json:"app"`
	Role      string `json:"role"`
	ShortCode string `json:"short_code,omitempty"`
}
