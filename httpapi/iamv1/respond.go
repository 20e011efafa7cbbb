package iamv1

import (
	"net/http"
	"strconv"
	"strings"

	"iamd/iam"
	"iamd/oidc"
)

// writeText answers a document "string" response the way a Spring
// controller returning String does: the bare text, not a JSON string.
func writeText(w http.ResponseWriter, status int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(text))
}

// responseEntity is a ResponseEntity carrying message with status.
func responseEntity(status int, message string) ResponseEntity {
	name := strings.ToUpper(strings.ReplaceAll(http.StatusText(status), " ", "_"))
	return ResponseEntity{Body: message, StatusCode: strconv.Itoa(status) + " " + name, StatusCodeValue: status}
}

// userDto is u in the document's shape; o and role, when given, are the
// organization the answer is about and the user's role in it.
func userDto(u *iam.User, o *iam.Organization, role *iam.OrgRole) UserDto {
	d := UserDto{
		AuthUserID: u.ID, ID: u.Num, UserName: u.Username, Email: u.Email, Contact: u.Phone,
		FirstName: u.FirstName, LastName: u.LastName, FullName: strings.TrimSpace(u.FirstName + " " + u.LastName),
		EmailVerified: u.EmailVerified, Deleted: u.Deleted(), Status: "active",
		Department: u.Profile.Department, Designation: u.Profile.Designation, GenderLookUpCode: u.Profile.Gender,
		ProfileURL: u.Profile.PictureURL, Source: u.Profile.Source,
	}
	if !u.Enabled {
		d.Status = "inactive"
	}
	if o != nil {
		d.TenantID = o.Num
	}
	if role != nil {
		d.AppName, d.RoleGroup = role.App, role.Role
	}
	return d
}

// authResult is a token set in the document's shape.
func authResult(ts *oidc.TokenSet, u *iam.User, mfa bool) *AuthenticationResultTypeDto {
	return &AuthenticationResultTypeDto{
		AccessToken: ts.AccessToken, ExpiresIn: ts.ExpiresIn, IDToken: ts.IDToken, RefreshToken: ts.RefreshToken,
		TokenType: ts.TokenType, Guid: u.ID, EmailVerified: u.EmailVerified, Mfaenabled: mfa,
	}
}
