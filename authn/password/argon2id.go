package password

import (
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

const (
	argon2id = "argon2id"
	argon2i  = "argon2i"

	maxArgon2Memory = 1 << 20 // KiB: 1 GiB
	maxArgon2Time   = 1 << 10
	maxKeyLen       = 1024
)

func argon2Key(variant, password string, salt []byte, p Params) []byte {
	if variant == argon2i {
		return argon2.Key([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	}
	return argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
}

// encodeArgon2 writes the PHC string of the reference implementation:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>, base64 without padding.
func encodeArgon2(variant string, p Params, salt, key []byte) string {
	return fmt.Sprintf("$%s$v=%d$m=%d,t=%d,p=%d$%s$%s", variant, argon2.Version,
		p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key))
}

// argon2Hash is a parsed argon2id or argon2i PHC string.
type argon2Hash struct {
	variant string
	params  Params
	salt    []byte
	key     []byte
}

func parseArgon2(encoded string) (stored, error) {
	f := strings.Split(encoded, "$")
	if len(f) != 6 || f[0] != "" {
		return nil, malformed("argon2")
	}
	variant := f[1]
	if f[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return nil, fmt.Errorf("%w: argon2 version other than 19", ErrUnsupportedFormat)
	}
	kv, ok := parseParams(f[3], "m", "t", "p")
	if !ok || len(kv) != 3 {
		return nil, malformed("argon2")
	}
	m, t, p := kv["m"], kv["t"], kv["p"]
	salt, err1 := decodeB64(f[4])
	key, err2 := decodeB64(f[5])
	if err1 != nil || err2 != nil || len(salt) == 0 || len(key) < 4 {
		return nil, malformed("argon2")
	}
	if m < 8*p || m > maxArgon2Memory || t < 1 || t > maxArgon2Time || p < 1 || p > 255 || len(key) > maxKeyLen {
		return nil, outOfRange("argon2")
	}
	return &argon2Hash{
		variant: variant,
		params: Params{
			Memory: uint32(m), Time: uint32(t), Threads: uint8(p),
			SaltLen: uint32(len(salt)), KeyLen: uint32(len(key)),
		},
		salt: salt,
		key:  key,
	}, nil
}

func (a *argon2Hash) matches(password string) bool {
	return subtle.ConstantTimeCompare(argon2Key(a.variant, password, a.salt, a.params), a.key) == 1
}

func (a *argon2Hash) current(p Params) bool {
	return a.variant == argon2id && a.params == p
}
