package oidc

import (
	"encoding/json"
	"net/http"

	"iamd/iam"
	"iamd/oidc/signer"
)

// discoveryDoc is the OpenID Provider metadata (OpenID Connect Discovery
// 1.0 §3, RFC 8414). It advertises only what iamd implements.
type discoveryDoc struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	UserinfoEndpoint                  string   `json:"userinfo_endpoint"`
	IntrospectionEndpoint             string   `json:"introspection_endpoint"`
	RevocationEndpoint                string   `json:"revocation_endpoint"`
	EndSessionEndpoint                string   `json:"end_session_endpoint"`
	JWKSURI                           string   `json:"jwks_uri"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	IntrospectionEndpointAuthMethods  []string `json:"introspection_endpoint_auth_methods_supported"`
	RevocationEndpointAuthMethods     []string `json:"revocation_endpoint_auth_methods_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	ScopesSupported                   []string `json:"scopes_supported"`
	ClaimsSupported                   []string `json:"claims_supported"`
	PromptValuesSupported             []string `json:"prompt_values_supported"`
	ClaimsParameterSupported          bool     `json:"claims_parameter_supported"`
	RequestParameterSupported         bool     `json:"request_parameter_supported"`
	RequestURIParameterSupported      bool     `json:"request_uri_parameter_supported"`
	FrontchannelLogoutSupported       bool     `json:"frontchannel_logout_supported"`
	BackchannelLogoutSupported        bool     `json:"backchannel_logout_supported"`
}

const protocolPath = "/protocol/openid-connect"

var (
	authMethodsSecret = []string{"client_secret_basic", "client_secret_post"}
	authMethodsAll    = []string{"client_secret_basic", "client_secret_post", "none"}
	claimsSupported   = []string{
		"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "amr", "azp", "sid",
		"preferred_username", "name", "given_name", "family_name", "locale", "picture",
		"email", "email_verified", "phone_number", "phone_number_verified",
		"realm_access", "resource_access", "scope", "org_id", "org_num",
	}
)

// discovery serves GET {prefix}/.well-known/openid-configuration. Every
// URL in it is under the prefix the client used, and the issuer is that
// prefix's issuer.
func (p *Provider) discovery(w http.ResponseWriter, r *http.Request) error {
	_, issuer, err := p.realmOf(r.Context(), r)
	if err != nil {
		return err
	}
	base := issuer + protocolPath
	doc := &discoveryDoc{
		Issuer:                            issuer,
		AuthorizationEndpoint:             base + "/auth",
		TokenEndpoint:                     base + "/token",
		UserinfoEndpoint:                  base + "/userinfo",
		IntrospectionEndpoint:             base + "/token/introspect",
		RevocationEndpoint:                base + "/revoke",
		EndSessionEndpoint:                base + "/logout",
		JWKSURI:                           base + "/certs",
		GrantTypesSupported:               []string{iam.GrantAuthorizationCode, iam.GrantRefreshToken, iam.GrantClientCredentials, iam.GrantPassword},
		ResponseTypesSupported:            []string{"code"},
		ResponseModesSupported:            []string{"query", "form_post"},
		SubjectTypesSupported:             []string{"public"},
		IDTokenSigningAlgValuesSupported:  []string{signer.RS256, signer.ES256},
		TokenEndpointAuthMethodsSupported: authMethodsAll,
		IntrospectionEndpointAuthMethods:  authMethodsSecret,
		RevocationEndpointAuthMethods:     authMethodsAll,
		CodeChallengeMethodsSupported:     []string{"S256"},
		ScopesSupported:                   standardScopes,
		ClaimsSupported:                   claimsSupported,
		PromptValuesSupported:             []string{"none", "login"},
	}
	writeCacheableJSON(w, "public, max-age=300", doc)
	return nil
}

// certs serves GET {prefix}/protocol/openid-connect/certs: the realm's
// public keys, current and retired-but-still-valid, as a JWK Set.
func (p *Provider) certs(w http.ResponseWriter, r *http.Request) error {
	realm, _, err := p.realmOf(r.Context(), r)
	if err != nil {
		return err
	}
	set, err := p.Keys.JWKS(r.Context(), realm)
	if err != nil {
		return err
	}
	writeCacheableJSON(w, "public, max-age=60", set)
	return nil
}

// writeCacheableJSON writes v as a 200 JSON response that caches may keep
// as cacheControl says (public metadata only: never tokens).
func writeCacheableJSON(w http.ResponseWriter, cacheControl string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", cacheControl)
	_, _ = w.Write(b)
}
