// Package authn holds the authentication use cases every surface shares:
// password sign-in with rehashing of imported hashes, brute-force lockout
// (password and OTP failures counted apart), per-IP throttling, and one-time
// codes whose message is written to the outbox in the same transaction.
// Each rule lives here once; surfaces only translate.
package authn
