// Package oidc makes every realm an OAuth 2.0 / OpenID Connect provider at
// Keycloak's paths, under both /realms/{realm}/ and the older
// /auth/realms/{realm}/: discovery, JWKS, the token endpoint with one type per
// grant, userinfo, introspection, revocation, logout, and the hosted login
// pages of the authorization endpoint. Keys live in package oidc/signer.
//
// The issuer of a realm depends on the prefix a client used, so that a
// client that discovered iamd at /auth/realms/R sees issuer …/auth/realms/R
// and one that used /realms/R sees …/realms/R; tokens of either issuer of
// a realm are accepted by that realm, and by no other.
//
// The surfaces that are not OAuth (document 000's /v1/iam, document 002's
// /auth) get their sessions and tokens from the exported API of
// sessions_api.go — SignIn, Refresh, Reissue, VerifyAccessToken and
// EndSession — which runs the same minting, rotation and liveness code as
// the protocol endpoints, so there is one implementation of every token rule.
package oidc
