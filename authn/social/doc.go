// Package social holds the connectors to upstream identity providers that
// a realm signs users in through (iam.SocialProvider): one connector type
// per provider kind, each offering the capabilities its kind has, as dex's
// connectors do.
//
//	CodeExchanger     an authorization code the client got from the
//	                  provider is exchanged (with the realm's client secret)
//	                  and the user read from the result — both kinds
//	IDTokenVerifier   an ID token the client got itself (a native SDK,
//	                  Apple's form_post) is verified against the provider's
//	                  published keys, issuer and the realm's client ids —
//	                  OpenID Connect only: an OAuth 2.0 provider has no
//	                  token a third party can verify
//
// A connector says who the user is (Identity); what that means for the
// realm's users — create, link, refuse — is authn's rule (social.go
// there). Connectors speak the iam error vocabulary: CodeUnauthorized for
// anything the provider or its keys refuse (a used or foreign code, a bad
// signature, another audience, an expired token, no subject),
// CodeUnavailable when the provider cannot be reached or fails.
//
// Connectors caches opened connectors, so that discovery documents and
// signing keys are fetched once, not on every sign-in; a changed
// configuration opens a new one.
package social
