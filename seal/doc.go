// Package seal encrypts small secrets at rest with the server's master key:
// TOTP seeds, SMTP passwords, private signing keys. A Box seals with
// AES-256-GCM; LoadOrCreateKey finds the master key in IAMD_MASTER_KEY or in
// a key file, creating the file on first start.
//
// A sealed value is one version byte (1), a random 12-byte nonce, then the
// ciphertext and its 16-byte tag. Additional data (for example the realm and
// the record's id) is authenticated but not stored: opening with other
// additional data fails, so a sealed value copied onto another record is
// refused.
//
// Losing the master key loses every sealed secret; rotating it means
// opening each value with the old Box and sealing it with the new one.
package seal
