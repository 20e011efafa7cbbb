package iamv1

// Models of the token, switch and integration operations (ENDPOINTS.md
// A.5), JSON names exactly as the document writes them.

// SwitchTenantRequest is the body of the switch-tenant operations (#38,
// #57, #65) and of switch-client (#56). TenantID is a pointer so that a
// missing one is told from 0. AppName and ClientID are iamd's additions
// for switch-client, whose target app the document's model cannot name:
// either names the app (client id, or display name when unique).
// SkipTenantCall is accepted and ignored (iamd has no separate tenant
// service to skip).
type SwitchTenantRequest struct {
	RefreshToken   string     `json:"refreshToken"`
	SkipTenantCall bool       `json:"skipTenantCall"`
	TenantID       *Long      `json:"tenantId"`
	UserName       FlexString `json:"userName"`
	AppName        string     `json:"appName"`
	ClientID       string     `json:"clientId"`
}

// SocialAuthResponse answers the token validation operations (#31, #33)
// and the social sign-ins (#19, #29). A validation has no refresh or ID
// token to give back: it returns the presented access token and the
// token's user.
type SocialAuthResponse struct {
	AccessToken  string `json:"accessToken,omitempty"`
	Email        string `json:"email,omitempty"`
	ExistingUser bool   `json:"existingUser"`
	FirstName    string `json:"firstName,omitempty"`
	IDToken      string `json:"idToken,omitempty"`
	LastName     string `json:"lastName,omitempty"`
	RefreshToken string `json:"refreshToken,omitempty"`
}

// IntercomHash answers the intercom-hash operations (#49, #50, #51).
type IntercomHash struct {
	Hash string `json:"hash"`
}
