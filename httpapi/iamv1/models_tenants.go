package iamv1

// Models of organization membership and invitations (A.2 #2, #7, #8, #12,
// #13, #40, #41, #52, #60–#62), JSON names exactly as the document has
// them. doc.go says which fields are accepted and ignored.

// UserTenantRelRequest is the body of POST /v1/iam/users/tenants.
type UserTenantRelRequest struct {
	AppName            string     `json:"appName"`
	BkPlanDetails      string     `json:"bkPlanDetails"`
	BkPlanID           FlexString `json:"bkPlanId"`
	BookkeeperPays     bool       `json:"bookkeeperPays"`
	Contact            FlexString `json:"contact"`
	CreateUserInTenant bool       `json:"createUserInTenant"`
	EmailID            string     `json:"emailId"`
	FirstName          string     `json:"firstName"`
	IamUserID          Long       `json:"iamUserId"`
	InviteCode         string     `json:"inviteCode"`
	InviteUser         bool       `json:"inviteUser"`
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
	PeoplePlus         bool       `json:"peoplePlus"`
	RoleGroup          string     `json:"roleGroup"`
	ShouldSendEmail    *bool      `json:"shouldSendEmail"`
	SocialAuth         string     `json:"socialAuth"`
	Source             string     `json:"source"`
	TenantID           Long       `json:"tenantId"`
}

// AppUserRolesCreateRequest is one role of UserTenantRelCreationRequest.
type AppUserRolesCreateRequest struct {
	AppName     string   `json:"appName"`
	ModuleUuids []string `json:"moduleUuids"`
	RoleGroup   string   `json:"roleGroup"`
}

// UserTenantRelCreationRequest is the body of POST
// /v1/iam/users/tenants/roles and /v1/iam/users/tenants/module-roles.
type UserTenantRelCreationRequest struct {
	AppUserCreateRequestList []AppUserRolesCreateRequest `json:"appUserCreateRequestList"`
	BkPlanDetails            string                      `json:"bkPlanDetails"`
	BkPlanID                 FlexString                  `json:"bkPlanId"`
	BookkeeperPays           bool                        `json:"bookkeeperPays"`
	Contact                  FlexString                  `json:"contact"`
	CreateUserInTenant       bool                        `json:"createUserInTenant"`
	EmailID                  string                      `json:"emailId"`
	FirstName                string                      `json:"firstName"`
	IamUserID                Long                        `json:"iamUserId"`
	InviteUser               bool                        `json:"inviteUser"`
	IsBookkeeper             bool                        `json:"isBookkeeper"`
	IsEmailVerified          bool                        `json:"isEmailVerified"`
	IsGoUser                 bool                        `json:"isGoUser"`
	IsPartner                bool                        `json:"isPartner"`
	IsTeam                   bool                        `json:"isTeam"`
	IsUserNotUpdated         bool                        `json:"isUserNotUpdated"`
	IsWebsite                bool                        `json:"isWebsite"`
	LastName                 string                      `json:"lastName"`
	OrganizationName         string                      `json:"organizationName"`
	Password                 string                      `json:"password"`
	ShouldSendEmail          *bool                       `json:"shouldSendEmail"`
	SocialAuth               string                      `json:"socialAuth"`
	Source                   string                      `json:"source"`
	TenantID                 Long                        `json:"tenantId"`
}

// InviteBulkUserRequest is one row of the bulk operations' body.
type InviteBulkUserRequest struct {
	AppName    string     `json:"appName"`
	Contact    FlexString `json:"contact"`
	Email      string     `json:"email"`
	FirstName  string     `json:"firstName"`
	LastName   string     `json:"lastName"`
	PeoplePlus bool       `json:"peoplePlus"`
	RoleGroup  string     `json:"roleGroup"`
	Username   FlexString `json:"username"`
}

// IAMUserDto is one row of BulkAddUserResponse; Message says why a row
// failed (or what happened to one that succeeded).
type IAMUserDto struct {
	AppName   string `json:"appName,omitempty"`
	Contact   string `json:"contact,omitempty"`
	Email     string `json:"email,omitempty"`
	FirstName string `json:"firstName,omitempty"`
	FullName  string `json:"fullName,omitempty"`
	ID        int64  `json:"id,omitempty"`
	LastName  string `json:"lastName,omitempty"`
	Message   string `json:"message,omitempty"`
	RoleGroup string `json:"roleGroup,omitempty"`
	TenantID  int64  `json:"tenantId,omitempty"`
	Username  string `json:"username,omitempty"`
}

// BulkAddUserResponse answers POST /v1/iam/users/bulk-create: the rows
// that succeeded and those that failed, each in request order.
type BulkAddUserResponse struct {
	Failure []IAMUserDto `json:"failure"`
	Success []IAMUserDto `json:"success"`
}

// BulkInviteUserDto is one element of the answer of POST
// /v1/iam/users/bulk-invite: a UserDto per row, in request order; a row
// that failed has status "failed" and message saying why.
type BulkInviteUserDto struct {
	UserDto
	Message string `json:"message,omitempty"`
}

// InviteRequest is the body of POST /v1/iam/auth/user/invite.
type InviteRequest struct {
	Email string     `json:"email"`
	Phone FlexString `json:"phone"`
}

// InviteResponse is the "object" POST /v1/iam/auth/user/invite answers:
// the document's message, the session verify-invite wants back (the
// invitation's id) and how long the code is valid.
type InviteResponse struct {
	Message   string `json:"message"`
	Session   string `json:"session"`
	ExpiresIn int    `json:"expiresIn"`
}

// InviteVerificationRequest is the body of POST
// /v1/iam/auth/user/verify-invite.
type InviteVerificationRequest struct {
	Email            string     `json:"email"`
	Phone            FlexString `json:"phone"`
	Session          string     `json:"session"`
	VerificationCode FlexString `json:"verificationCode"`
}

// InviteStatusResponse answers GET /v1/iam/auth/books/invite/status.
type InviteStatusResponse struct {
	AppInviteStatus string `json:"appInviteStatus"`
	InviteCode      string `json:"inviteCode"`
}

// SignUpWithInviteRequest is the body of POST
// /v1/iam/auth/sign-up/books/invite and /sign-up/employee/invite.
type SignUpWithInviteRequest struct {
	Contact    FlexString `json:"contact"`
	Email      string     `json:"email"`
	FirstName  string     `json:"firstName"`
	InviteCode string     `json:"inviteCode"`
	LastName   string     `json:"lastName"`
	Password   string     `json:"password"`
}

// InviteUserUpdateRequest is the body and the answer of PUT
// /v1/iam/users/invite/{id}. Pointers tell a missing field from an empty
// one; the answer never carries the password.
type InviteUserUpdateRequest struct {
	Contact       *FlexString `json:"contact,omitempty"`
	CountryCode   *string     `json:"countryCode,omitempty"`
	Currency      *string     `json:"currency,omitempty"`
	Email         *string     `json:"email,omitempty"`
	FirstName     *string     `json:"firstName,omitempty"`
	Industry      *string     `json:"industry,omitempty"`
	LastName      *string     `json:"lastName,omitempty"`
	Name          *string     `json:"name,omitempty"`
	NoOfEmployees *FlexString `json:"noOfEmployees,omitempty"`
	Password      *string     `json:"password,omitempty"`
	Phone         *FlexString `json:"phone,omitempty"`
	Title         *string     `json:"title,omitempty"`
}
