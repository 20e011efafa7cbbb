package iamv1

// SocialAuthRequest is the body of POST /v1/iam/auth/social (#29) and
// /v1/iam/auth/mobile/social (#19). RedirectURL is base64 (a plain URL is
// taken as well). IDToken is iamd's addition for native SDKs that hand
// out an ID token rather than a code. RealmID (QuickBooks' company id) and
// State (checked by the client that made it) are accepted and ignored.
type SocialAuthRequest struct {
	AppName     string     `json:"appName"`
	Code        string     `json:"code"`
	FirstName   string     `json:"firstName"`
	IDToken     string     `json:"idToken"`
	LastName    string     `json:"lastName"`
	RealmID     FlexString `json:"realmId"`
	RedirectURL string     `json:"redirectUrl"`
	State       FlexString `json:"state"`
}

// appleUser is the user form field Apple posts on a user's first
// authorization: their name (which its ID token lacks) and e-mail.
type appleUser struct {
	Name struct {
		FirstName string `json:"firstName"`
		LastName  string `json:"lastName"`
	} `json:"name"`
	Email string `json:"email"`
}
