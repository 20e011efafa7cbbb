package iam

import (
	"net/url"
	"regexp"
	"strings"
)

// Kinds of upstream social sign-in providers.
const (
	// SocialOIDC is an OpenID Connect provider found by discovery at
	// Issuer + "/.well-known/openid-configuration" (Google, Apple,
	// Microsoft with a tenant's issuer, any Keycloak or iamd). Its ID
	// tokens are verified with its published keys; codes are exchanged at
	// its token endpoint.
	SocialOIDC = "oidc"
	// SocialOAuth2 is a plain OAuth 2.0 provider (Facebook, LinkedIn,
	// GitHub…): codes are exchanged at TokenURL and the user is read from
	// UserinfoURL with the access token.
	SocialOAuth2 = "oauth2"
)

// SocialProvider is an upstream identity provider a realm signs users in
// through. Name is what clients call it by (document 000's appName, such
// as "GOOGLE"); it is compared case-insensitively and is the Label of the
// users' CredSocial credentials, so renaming a provider unlinks its users.
type SocialProvider struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"`               // SocialOIDC or SocialOAuth2
	Disabled bool   `json:"disabled,omitempty"` // kept, but no sign-in through it
	ClientID string `json:"client_id"`
	// ClientSecretEnc is the client secret sealed with the server's master
	// key; empty for a public client (codes with PKCE are not supported,
	// so that means ID tokens only).
	ClientSecretEnc []byte `json:"client_secret_enc,omitempty"`
	// Audiences are further client ids whose ID tokens are accepted, such
	// as the iOS and Android apps' ids at Google, which differ from the
	// web client's. Codes are always exchanged as ClientID.
	Audiences []string `json:"audiences,omitempty"`
	Issuer    string   `json:"issuer,omitempty"`    // oidc: the issuer URL, exactly as the provider writes it
	TokenURL  string   `json:"token_url,omitempty"` // oauth2: where codes are exchanged
	// UserinfoURL is, for oauth2, where the user is read (required; it may
	// carry a query, e.g. Facebook's ?fields=id,name,email); for oidc it
	// overrides the discovered userinfo endpoint.
	UserinfoURL string `json:"userinfo_url,omitempty"`
	// RedirectURL is the redirect_uri codes are exchanged with when the
	// client does not say which one it used.
	RedirectURL string `json:"redirect_url,omitempty"`
	// SubjectClaim names the user's stable id in the userinfo answer
	// (default "sub", then "id"); EmailVerifiedClaim the claim that says
	// the e-mail is verified (default "email_verified").
	SubjectClaim       string `json:"subject_claim,omitempty"`
	EmailVerifiedClaim string `json:"email_verified_claim,omitempty"`
	// TrustEmail treats every e-mail the provider gives as verified, for a
	// provider that only hands out verified addresses without saying so
	// (Keycloak's "Trust Email").
	TrustEmail bool `json:"trust_email,omitempty"`
}

var socialName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)

// Validate checks p: a name of 1-64 letters, digits, '_', '.' or '-', a
// known kind, a client id, and absolute http(s) URLs where given, with the
// ones its kind needs.
func (p *SocialProvider) Validate() error {
	if !socialName.MatchString(p.Name) {
		return Invalid("name", "provider name must be 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit")
	}
	if strings.TrimSpace(p.ClientID) == "" {
		return Invalid("client_id", "client_id is required")
	}
	for _, f := range []struct{ name, v string }{
		{"issuer", p.Issuer}, {"token_url", p.TokenURL}, {"userinfo_url", p.UserinfoURL}, {"redirect_url", p.RedirectURL},
	} {
		if f.v == "" {
			continue
		}
		if u, err := url.Parse(f.v); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return Invalid(f.name, "%s must be an absolute http(s) URL", f.name)
		}
	}
	switch p.Kind {
	case SocialOIDC:
		if p.Issuer == "" {
			return Invalid("issuer", "an oidc provider needs its issuer URL")
		}
	case SocialOAuth2:
		if p.TokenURL == "" || p.UserinfoURL == "" {
			return Invalid("userinfo_url", "an oauth2 provider needs token_url and userinfo_url")
		}
	default:
		return Invalid("kind", "kind must be %s or %s", SocialOIDC, SocialOAuth2)
	}
	return nil
}

// SocialProvider returns the realm's provider named name (compared
// case-insensitively), or nil.
func (s *RealmSettings) SocialProvider(name string) *SocialProvider {
	for i := range s.SocialProviders {
		if strings.EqualFold(s.SocialProviders[i].Name, name) {
			return &s.SocialProviders[i]
		}
	}
	return nil
}
