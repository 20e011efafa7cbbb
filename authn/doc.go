// Package authn holds the authentication use cases every surface shares:
// password sign-in with rehashing of imported hashes, brute-force lockout
// (password and OTP failures counted apart), per-IP throttling, one-time
// codes whose message is written to the outbox in the same transaction,
// TOTP, self-service sign-up (user, organization and verification link in
// one transaction; signup.go), e-mail verification links, and sign-in by
// SMS code (phone.go), and social sign-in through a realm's upstream
// providers (socialsignin.go, with the connectors in package social),
// and a signed-in user's own address changes: contact verification codes
// (contactcodes.go), e-mail change (emailchange.go), e-mail linking
// (emaillink.go), proving another account to merge it (merge.go), and
// administrators' sign-in codes for support (userotp.go), and signing up
// or taking over an account with an invitation code (invite_signup.go),
// and MFA with an authenticator app: enrolment, MFA sign-in and removal
// (mfa.go) with single-use recovery codes (recovery.go), and passwords a
// user forgot (passwordreset.go) or changes (passwordchange.go).
// Each rule lives here once; surfaces only translate.
// Sessions and tokens are the oidc package's: a surface signs the user in
// here, then asks oidc.Provider for tokens.
package authn
