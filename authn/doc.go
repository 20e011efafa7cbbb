// Package authn holds the authentication use cases every surface shares:
// password sign-in with rehashing of imported hashes, brute-force lockout
// (password and OTP failures counted apart), per-IP throttling, one-time
// codes whose message is written to the outbox in the same transaction,
// TOTP, self-service sign-up (user, organization and verification link in
// one transaction; signup.go), e-mail verification links, and sign-in by
// SMS code (phone.go). Each rule lives here once; surfaces only translate.
// Sessions and tokens are the oidc package's: a surface signs the user in
// here, then asks oidc.Provider for tokens.
package authn
