package oidc

import (
	"iamd/iam"
)

// accessClaims are the claims of an access token, in Keycloak's names, and
// what userinfo, introspection and revocation read back from one.
//
// sub is the user's UUID, or for a client_credentials token the app's id
// (its stable service-account subject, with preferred_username
// "service-account-<client id>" and client_id set). aud and azp are the
// client id. org_id and org_num are the current organization's UUID and
// numeric id, present when the session has one.
type accessClaims struct {
	Iss               string              `json:"iss"`
	Sub               string              `json:"sub"`
	Aud               string              `json:"aud"`
	Azp               string              `json:"azp"`
	Exp               int64               `json:"exp"`
	Iat               int64               `json:"iat"`
	Jti               string              `json:"jti"`
	Sid               string              `json:"sid,omitempty"`
	Typ               string              `json:"typ"`
	Scope             string              `json:"scope"`
	ClientID          string              `json:"client_id,omitempty"`
	RealmAccess       *roleList           `json:"realm_access,omitempty"`
	ResourceAccess    map[string]roleList `json:"resource_access,omitempty"`
	PreferredUsername string              `json:"preferred_username,omitempty"`
	Email             string              `json:"email,omitempty"`
	EmailVerified     *bool               `json:"email_verified,omitempty"`
	Name              string              `json:"name,omitempty"`
	GivenName         string              `json:"given_name,omitempty"`
	FamilyName        string              `json:"family_name,omitempty"`
	OrgID             string              `json:"org_id,omitempty"`
	OrgNum            int64               `json:"org_num,omitempty"`
}

// Values of the typ claim, as Keycloak writes them; they keep an ID token
// from being accepted where an access token is expected.
const (
	typBearer = "Bearer"
	typID     = "ID"
)

type roleList struct {
	Roles []string `json:"roles"`
}

// idClaims are the claims of an ID token (OpenID Connect Core §2, §5.1).
type idClaims struct {
	Iss      string   `json:"iss"`
	Sub      string   `json:"sub"`
	Aud      string   `json:"aud"`
	Exp      int64    `json:"exp"`
	Iat      int64    `json:"iat"`
	AuthTime int64    `json:"auth_time,omitempty"`
	Nonce    string   `json:"nonce,omitempty"`
	AtHash   string   `json:"at_hash,omitempty"`
	AMR      []string `json:"amr,omitempty"`
	Azp      string   `json:"azp"`
	Sid      string   `json:"sid,omitempty"`
	Typ      string   `json:"typ"`
	profileClaims
	OrgID  string `json:"org_id,omitempty"`
	OrgNum int64  `json:"org_num,omitempty"`
}

// profileClaims are the user claims the profile, email and phone scopes
// release in ID tokens and at userinfo. preferred_username is always
// released, as Keycloak does.
type profileClaims struct {
	PreferredUsername   string `json:"preferred_username,omitempty"`
	Name                string `json:"name,omitempty"`
	GivenName           string `json:"given_name,omitempty"`
	FamilyName          string `json:"family_name,omitempty"`
	Locale              string `json:"locale,omitempty"`
	Picture             string `json:"picture,omitempty"`
	Email               string `json:"email,omitempty"`
	EmailVerified       *bool  `json:"email_verified,omitempty"`
	PhoneNumber         string `json:"phone_number,omitempty"`
	PhoneNumberVerified *bool  `json:"phone_number_verified,omitempty"`
}

// profileOf selects u's claims for scope.
func profileOf(u *iam.User, scope string) profileClaims {
	c := profileClaims{PreferredUsername: u.Username}
	if hasScope(scope, "profile") {
		c.Name, c.GivenName, c.FamilyName = fullName(u), u.FirstName, u.LastName
		c.Locale, c.Picture = u.Profile.Locale, u.Profile.PictureURL
	}
	if hasScope(scope, "email") && u.Email != "" {
		c.Email, c.EmailVerified = u.Email, boolPtr(u.EmailVerified)
	}
	if hasScope(scope, "phone") && u.Phone != "" {
		c.PhoneNumber, c.PhoneNumberVerified = u.Phone, boolPtr(u.PhoneVerified)
	}
	return c
}

func fullName(u *iam.User) string {
	switch {
	case u.FirstName == "":
		return u.LastName
	case u.LastName == "":
		return u.FirstName
	}
	return u.FirstName + " " + u.LastName
}

func boolPtr(b bool) *bool { return &b }
