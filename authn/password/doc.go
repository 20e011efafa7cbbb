// Package password owns everything iamd does with a password itself: hashing
// new ones as argon2id PHC strings, verifying stored hashes (argon2id and the
// formats imported from other systems), telling the caller when a stored hash
// should be replaced, and the realm's password policy (length bounds, the
// bundled deny-list of common passwords, not equal to the username or e-mail).
//
// # Bounded work
//
// Every hash and verify runs under a semaphore of a fixed size (the CPU count
// by default), so a login flood waits in line instead of allocating argon2id
// memory without limit. A caller waiting for a slot gives up when its context
// ends. QueueLength and InFlight report the line and the slots in use.
//
// # Formats Verify accepts
//
// New hashes are always argon2id. Any other format that verifies reports
// needsRehash, so the caller replaces it with argon2id on that login.
// Base64 fields accept the standard alphabet with or without '=' padding,
// and passlib's adapted alphabet ('.' in place of '+').
//
//	argon2id   $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<b64 salt>$<b64 hash>
//	           (PHC string, as the reference implementation writes it;
//	           needsRehash when m, t, p, salt or hash length differ from the
//	           Hasher's parameters)
//	argon2i    $argon2i$v=19$m=...,t=...,p=...$<b64 salt>$<b64 hash>
//	bcrypt     $2a$, $2b$ and $2y$ modular crypt strings, e.g.
//	           $2b$10$<22 chars salt><31 chars hash>; like every bcrypt, only
//	           the first 72 bytes of the password count
//	PBKDF2     $pbkdf2-sha256$i=<iterations>,l=<key length>$<b64 salt>$<b64 hash>
//	           $pbkdf2-sha256$<iterations>$<ab64 salt>$<ab64 hash>  (passlib)
//	           likewise $pbkdf2-sha512$ and $pbkdf2$ (HMAC-SHA-1, passlib);
//	           l= may be left out: the hash length is the decoded length
//	Django     pbkdf2_sha256$<iterations>$<salt text>$<b64 hash>
//	           and pbkdf2_sha1$...; the salt is used as its UTF-8 bytes
//	scrypt     $scrypt$ln=<log2 N>,r=<r>,p=<p>$<b64 salt>$<b64 hash>
//	           (PHC string, as passlib writes it)
//	salted SHA {SSHA256}<b64(SHA-256(password || salt) || salt)>
//	           {SSHA512}<b64(SHA-512(password || salt) || salt)>
//	           {SSHA}<b64(SHA-1(password || salt) || salt)>  (LDAP style)
//	           $sha256$<hex salt>$<hex SHA-256(salt || password)>
//	           $sha512$<hex salt>$<hex SHA-512(salt || password)>
//
// Every comparison of a computed hash with a stored one is constant-time.
// A string in none of these formats, or one whose fields do not parse, makes
// Verify return an error wrapping ErrUnsupportedFormat; the error names the
// scheme at most, never any part of the stored hash. Parameters far beyond
// what any real system uses (argon2 memory over 1 GiB, scrypt memory over
// 1 GiB, PBKDF2 over 10 million iterations, bcrypt cost over 16) are refused
// the same way, so an imported hash cannot make one login exhaust the server.
//
// # Policy
//
// CheckPolicy applies an iam.PasswordPolicy to a new password and returns an
// *iam.Error with code iam.CodeInvalid and field "password" whose message
// can be shown to the user. The deny-list is denylist.txt, embedded: the
// 10,000 most common passwords of the list zxcvbn ships, plus a few defaults
// and keyboard walks; it is matched case-insensitively.
package password
