package oidc

import (
	"slices"
	"strings"

	"iamd/iam"
)

// Scopes iamd knows. Every app may ask for them; what they add:
// openid an ID token, profile the name claims, email and phone those
// claims in the ID token and at userinfo.
var standardScopes = []string{"openid", "profile", "email", "phone"}

// defaultScope is granted when a request names no scope, as Keycloak's
// default client scopes do.
const defaultScope = "profile email"

// grantScope decides the scope granted to app for the space-separated
// requested one. Duplicates collapse and order is kept. A standard scope
// is always granted. Another scope is granted when the app lists it in
// app.Scopes; when the app lists none, unknown scopes are left out of the
// grant (RFC 6749 §3.3 lets the server narrow; the response's scope says
// what was granted), so that clients sending vendor scopes such as
// kobil_password keep working. It is invalid_scope when a scope token is
// malformed, or when the app lists its scopes and the request names one
// outside them.
func grantScope(app *iam.App, requested string) (string, error) {
	if strings.TrimSpace(requested) == "" {
		return defaultScope, nil
	}
	if len(requested) > 2048 {
		return "", invalidScope("scope is too long")
	}
	var out []string
	for _, s := range strings.Fields(requested) {
		if !validScopeToken(s) {
			return "", invalidScope("scope %q is malformed", truncateParam(s))
		}
		switch {
		case slices.Contains(out, s):
		case slices.Contains(standardScopes, s), slices.Contains(app.Scopes, s):
			out = append(out, s)
		case len(app.Scopes) > 0:
			return "", invalidScope("scope %q is not allowed for this client", truncateParam(s))
		}
	}
	return strings.Join(out, " "), nil
}

// narrowScope returns the requested scope when it is a subset of granted
// (a refresh may narrow, never widen: RFC 6749 §6), granted itself when
// nothing is requested, and invalid_scope otherwise.
func narrowScope(granted, requested string) (string, error) {
	if strings.TrimSpace(requested) == "" {
		return granted, nil
	}
	have := strings.Fields(granted)
	var out []string
	for _, s := range strings.Fields(requested) {
		if !slices.Contains(have, s) {
			return "", invalidScope("scope %q was not granted to this token", truncateParam(s))
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return strings.Join(out, " "), nil
}

// hasScope reports whether the space-separated scope contains s.
func hasScope(scope, s string) bool {
	for scope != "" {
		var tok string
		tok, scope, _ = strings.Cut(scope, " ")
		if tok == s {
			return true
		}
	}
	return false
}

// validScopeToken checks RFC 6749 §3.3: 1*( %x21 / %x23-5B / %x5D-7E ).
func validScopeToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return s != ""
}

// withoutScope removes s from the space-separated scope.
func withoutScope(scope, s string) string {
	f := strings.Fields(scope)
	return strings.Join(slices.DeleteFunc(f, func(x string) bool { return x == s }), " ")
}
