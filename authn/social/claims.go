package social

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"iamd/iam"
)

// maxSubject bounds a subject: OpenID Connect allows 255 ASCII characters.
const maxSubject = 255

// identityOf reads the user from an ID token's or a userinfo answer's
// claims, with the names cfg gives or the usual ones (OpenID Connect's,
// then Facebook's and GitHub's). A provider that gives no usable subject
// is refused.
func identityOf(claims map[string]any, cfg *iam.SocialProvider) (*Identity, error) {
	subClaims := []string{"sub", "id"}
	if cfg.SubjectClaim != "" {
		subClaims = []string{cfg.SubjectClaim}
	}
	id := &Identity{Subject: firstString(claims, subClaims...)}
	if id.Subject == "" || len(id.Subject) > maxSubject || !utf8.ValidString(id.Subject) {
		return nil, unauthorized(nil, "the provider %s gave no usable subject for the user", cfg.Name)
	}
	id.Email = firstString(claims, "email")
	verified := cfg.EmailVerifiedClaim
	if verified == "" {
		verified = "email_verified"
	}
	id.EmailVerified = id.Email != "" && (cfg.TrustEmail || truthy(claims[verified]))
	id.FirstName = firstString(claims, "given_name", "first_name")
	id.LastName = firstString(claims, "family_name", "last_name")
	if id.FirstName == "" && id.LastName == "" {
		first, last, _ := strings.Cut(firstString(claims, "name"), " ")
		id.FirstName, id.LastName = first, strings.TrimSpace(last)
	}
	return id, nil
}

// firstString is the first of the claims that is a non-empty string or a
// number (GitHub's and Facebook's ids), as text.
func firstString(claims map[string]any, names ...string) string {
	for _, n := range names {
		switch v := claims[n].(type) {
		case string:
			if s := strings.TrimSpace(v); s != "" {
				return s
			}
		case json.Number:
			return v.String()
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	return ""
}

// truthy reads a boolean claim, which some providers (Apple, Cognito)
// send as the string "true".
func truthy(v any) bool {
	switch b := v.(type) {
	case bool:
		return b
	case string:
		return strings.EqualFold(b, "true")
	}
	return false
}
