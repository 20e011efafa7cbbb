package iamv1

// The document's models (spec/ENDPOINTS.md A.5), with its JSON field
// names exactly. Request models list every field the document gives, so
// that a value of the wrong type is refused naming the field even where
// iamd does not use it; doc.go says which fields are ignored.

// WebSignupRequest is the body of POST /v1/iam/auth/sign-up/web.
type WebSignupRequest struct {
	BkPlanDetails      string     `json:"bkPlanDetails"`
	BkPlanID           FlexString `json:"bkPlanId"`
	BookkeeperPays     bool       `json:"bookkeeperPays"`
	Contact            FlexString `json:"contact"`
	CreateUserInTenant bool       `json:"createUserInTenant"`
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
	ShouldSendEmail    *bool      `json:"shouldSendEmail"`
	SocialAuth         string     `json:"socialAuth"`
	Source             string     `json:"source"`
}

// MobileSignupRequestWithOrg is the body of POST /v1/iam/auth/sign-up/mobile.
type MobileSignupRequestWithOrg struct {
	Contact          FlexString `json:"contact"`
	FirstName        string     `json:"firstName"`
	IamUserID        Long       `json:"iamUserId"`
	LastName         string     `json:"lastName"`
	OrganizationName string     `json:"organizationName"`
	ShouldSendEmail  *bool      `json:"shouldSendEmail"`
}

// WebSignInRequest is the body of POST /v1/iam/auth/sign-in/web/sign-in.
type WebSignInRequest struct {
	InviteCode string `json:"inviteCode"`
	IsMobile   bool   `json:"isMobile"`
	Password   string `json:"password"`
	UserName   string `json:"userName"`
}

// OtpRequest is the body of POST /v1/iam/auth/sign-in/mobile.
type OtpRequest struct {
	PhoneNumber FlexString `json:"phoneNumber"`
}

// OtpVerificationRequest is the body of POST /v1/iam/auth/sign-in/mobile/verify.
type OtpVerificationRequest struct {
	PhoneNumber      FlexString `json:"phoneNumber"`
	Session          string     `json:"session"`
	VerificationCode FlexString `json:"verificationCode"`
}

// RefreshTokenRequest is the body of the three getrefreshtoken operations.
// TenantID is a pointer so that a missing one is told from 0.
type RefreshTokenRequest struct {
	RefreshToken string     `json:"refreshToken"`
	TenantID     *Long      `json:"tenantId"`
	UserName     FlexString `json:"userName"`
}

// AuthenticationResultTypeDto is the token result of sign-in, refresh and
// switch operations. Guid is the user's UUID; Mfaenabled says the user
// has an authenticator app (and, on password sign-in, that the tokens
// need the MFA step).
type AuthenticationResultTypeDto struct {
	AccessToken   string `json:"accessToken,omitempty"`
	EmailVerified bool   `json:"emailVerified"`
	ExpiresIn     int    `json:"expiresIn,omitempty"`
	Guid          string `json:"guid,omitempty"`
	IDToken       string `json:"idToken,omitempty"`
	Mfaenabled    bool   `json:"mfaenabled"`
	RefreshToken  string `json:"refreshToken,omitempty"`
	TokenType     string `json:"tokenType,omitempty"`
}

// UserDto is the document's user. ID is the numeric id, AuthUserID the
// UUID; TenantID, AppName and RoleGroup describe the organization the
// answer is about (the one created, joined or current), when there is one.
type UserDto struct {
	AppName          string `json:"appName,omitempty"`
	AuthUserID       string `json:"authUserId"`
	Contact          string `json:"contact,omitempty"`
	Deleted          bool   `json:"deleted"`
	Department       string `json:"department,omitempty"`
	Designation      string `json:"designation,omitempty"`
	Email            string `json:"email,omitempty"`
	EmailVerified    bool   `json:"emailVerified"`
	FirstName        string `json:"firstName"`
	FullName         string `json:"fullName,omitempty"`
	GenderLookUpCode string `json:"genderLookUpCode,omitempty"`
	ID               int64  `json:"id"`
	LastName         string `json:"lastName"`
	ProfileURL       string `json:"profileUrl,omitempty"`
	RoleGroup        string `json:"roleGroup,omitempty"`
	SocialAuth       string `json:"socialAuth,omitempty"`
	Source           string `json:"source,omitempty"`
	Status           string `json:"status"`
	TenantID         int64  `json:"tenantId,omitempty"`
	UserName         string `json:"userName"`
}

// CheckExistingUserResponse answers GET /v1/iam/auth/user.
type CheckExistingUserResponse struct {
	ContactExists bool `json:"contactExists"`
	EmailExists   bool `json:"emailExists"`
	SameUser      bool `json:"sameUser"`
}

// ResponseEntity is a serialised Spring ResponseEntity, which several
// operations return: Body is the operation's message, StatusCode the
// document's enum form ("200 OK").
type ResponseEntity struct {
	Body            any    `json:"body"`
	StatusCode      string `json:"statusCode"`
	StatusCodeValue int    `json:"statusCodeValue"`
}

// Values of the source field (UserDto, WebSignupRequest, …).
var sources = []string{"DESKERA", "SHOPIFY", "MOBILE", "MOBILE_GOOGLE", "MOBILE_APPLE", "MOBILE_OTHER", "WEB", "WEB_GOOGLE", "WEB_APPLE", "WEB_OTHER"}

// OtpResponse answers the operations that check a one-time code (#4
// password/confirm, #43 confirmotp): a message and, where it is known,
// how many tries the code has left.
type OtpResponse struct {
	Message     string `json:"message,omitempty"`
	RetriesLeft *int   `json:"retriesLeft,omitempty"`
}
