package iamv1

// Models of the user-records and accounts group (users.go, accounts.go,
// tenants_admin.go), JSON names exactly as the document's. Request fields
// iamd does not act on are still typed, so a wrong type is a 400 naming
// the field; doc.go says which are ignored.

// AppUserCreateRequest is the body of POST /v1/iam/users.
type AppUserCreateRequest struct {
	AppName            string     `json:"appName"`
	BkPlanDetails      string     `json:"bkPlanDetails"`
	BkPlanID           FlexString `json:"bkPlanId"`
	BookkeeperPays     bool       `json:"bookkeeperPays"`
	Contact            FlexString `json:"contact"`
	CreateUserInTenant *bool      `json:"createUserInTenant"`
	EmailID            string     `json:"emailId"`
	FirstName          string     `json:"firstName"`
	IamUserID          Long       `json:"iamUserId"`
	IsBookkeeper       bool       `json:"isBookkeeper"`
	IsEmailVerified    bool       `json:"isEmailVerified"`
	IsGoUser           bool       `json:"isGoUser"`
	IsPartner          bool       `json:"isPartner"`
	IsTeam             bool       `json:"isTeam"`
	IsUserNotUpdated   bool       `json:"isUserNotUpdated"`
	IsWebsite          bool       `json:"isWebsite"`
	LastName           string     `json:"lastName"`
	OrganizationName   string     `json:"organizationName"`
	Password           string     `json:"password"`
	RoleGroup          string     `json:"roleGroup"`
	ShouldSendEmail    *bool      `json:"shouldSendEmail"`
	SocialAuth         string     `json:"socialAuth"`
	Source             string     `json:"source"`
}

// AffiliateSignupRequest is the body of POST /v1/iam/auth/sign-up/affiliate.
type AffiliateSignupRequest struct {
	Contact         FlexString `json:"contact"`
	EmailID         string     `json:"emailId"`
	FirstName       string     `json:"firstName"`
	IamUserID       Long       `json:"iamUserId"`
	IsEmailVerified bool       `json:"isEmailVerified"`
	LastName        string     `json:"lastName"`
	Password        string     `json:"password"`
	ShouldSendEmail *bool      `json:"shouldSendEmail"`
}

// UserDtoUpdate is the UserDto body of PUT /v1/iam/users/{id}: pointers
// tell a field left out (unchanged) from one given. The read-only fields
// are typed only so that a wrong type is refused.
type UserDtoUpdate struct {
	Contact          *FlexString `json:"contact"`
	Department       *string     `json:"department"`
	Designation      *string     `json:"designation"`
	Email            *string     `json:"email"`
	FirstName        *string     `json:"firstName"`
	GenderLookUpCode *string     `json:"genderLookUpCode"`
	LastName         *string     `json:"lastName"`
	ProfileURL       *string     `json:"profileUrl"`
	ID               *Long       `json:"id"`

	AppName       string `json:"appName"`
	AuthUserID    string `json:"authUserId"`
	Deleted       bool   `json:"deleted"`
	EmailVerified bool   `json:"emailVerified"`
	FullName      string `json:"fullName"`
	RoleGroup     string `json:"roleGroup"`
	SocialAuth    string `json:"socialAuth"`
	Source        string `json:"source"`
	Status        string `json:"status"`
	TenantID      Long   `json:"tenantId"`
	UserName      string `json:"userName"`
}

// UserAttributeUpdateRequest is the body of PATCH /v1/iam/users/{id}.
type UserAttributeUpdateRequest struct {
	Contact        *FlexString `json:"contact"`
	Designation    *string     `json:"designation"`
	Email          *string     `json:"email"`
	FirstName      *string     `json:"firstName"`
	IsBookkeeper   *bool       `json:"isBookkeeper"`
	LastName       *string     `json:"lastName"`
	Password       *string     `json:"password"`
	UserNotUpdated *bool       `json:"userNotUpdated"`
}

// AppUserResponseInfo answers GET /v1/iam/users/{id}.
type AppUserResponseInfo struct {
	Address          []Address         `json:"address"`
	AppUserRoleXrefs []AppUserRoleInfo `json:"appUserRoleXrefs"`
	AuthUserID       string            `json:"authUserId"`
	Contact          string            `json:"contact,omitempty"`
	Deleted          bool              `json:"deleted"`
	Department       string            `json:"department,omitempty"`
	Designation      string            `json:"designation,omitempty"`
	Email            string            `json:"email,omitempty"`
	FirstName        string            `json:"firstName"`
	GenderLookUpCode string            `json:"genderLookUpCode,omitempty"`
	ID               int64             `json:"id"`
	IsMFAEnabled     bool              `json:"isMFAEnabled"`
	LastName         string            `json:"lastName"`
	ProfileURL       string            `json:"profileUrl,omitempty"`
	SocialAuth       string            `json:"socialAuth,omitempty"`
	Status           string            `json:"status"`
	TenantID         int64             `json:"tenantId,omitempty"`
	UserName         string            `json:"userName"`
	UserNotUpdated   bool              `json:"userNotUpdated"`
}

// Address is a postal address of a user (AppUserResponseInfo.address).
type Address struct {
	Address1            string `json:"address1,omitempty"`
	Address2            string `json:"address2,omitempty"`
	City                string `json:"city,omitempty"`
	ContactName         string `json:"contactName,omitempty"`
	Country             string `json:"country,omitempty"`
	DestinationOfSupply string `json:"destinationOfSupply,omitempty"`
	PlaceOfSupply       string `json:"placeOfSupply,omitempty"`
	PostalCode          string `json:"postalCode,omitempty"`
	Preferred           bool   `json:"preferred"`
	State               string `json:"state,omitempty"`
}

// AppUserRoleInfo is one role of a user in one organization.
type AppUserRoleInfo struct {
	AppName       string `json:"appName"`
	RoleGroup     string `json:"roleGroup"`
	RoleShortCode string `json:"roleShortCode,omitempty"`
	TenantID      int64  `json:"tenantId"`
}

// RegisteredUserRequest is the body of POST /v1/iam/users/registered/contacts.
type RegisteredUserRequest struct {
	Emails []string     `json:"emails"`
	Phones []FlexString `json:"phones"`
}

// RegisteredUserResponse is one registered contact.
type RegisteredUserResponse struct {
	Contact    string `json:"contact,omitempty"`
	Email      string `json:"email,omitempty"`
	FirstName  string `json:"firstName"`
	ID         int64  `json:"id"`
	LastName   string `json:"lastName"`
	ProfileURL string `json:"profileUrl,omitempty"`
}

// SignUpResponse answers tenant-reset and DELETE tenant/{id}: the
// organization and the user. Its authenticationResultType is never
// written, as these operations issue no tokens.
type SignUpResponse struct {
	TenantID   int64  `json:"tenantId"`
	TenantName string `json:"tenantName"`
	UserID     int64  `json:"userId"`
}
