package password

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/crypto/scrypt"
)

// stored is a parsed hash of any supported format.
type stored interface {
	// matches computes the hash of password and compares it in constant time.
	matches(password string) bool
	// current reports whether the hash is argon2id with exactly p.
	current(p Params) bool
}

const (
	maxEncodedLen    = 2048
	maxBcryptCost    = 16
	maxPBKDF2Iter    = 10_000_000
	maxScryptMemory  = 1 << 30 // bytes: 128·N·r·p
	maxScryptLogN    = 30
	maxScryptRounds  = 1 << 10 // r and p each
	maxSaltedHashLen = 1024
)

// parse recognises the scheme of encoded by its prefix and parses it; the
// cost of a hash is checked here, before any work is done.
func parse(encoded string) (stored, error) {
	if len(encoded) > maxEncodedLen {
		return nil, ErrUnsupportedFormat
	}
	switch {
	case strings.HasPrefix(encoded, "$argon2id$"), strings.HasPrefix(encoded, "$argon2i$"):
		return parseArgon2(encoded)
	case strings.HasPrefix(encoded, "$2a$"), strings.HasPrefix(encoded, "$2b$"), strings.HasPrefix(encoded, "$2y$"):
		return parseBcrypt(encoded)
	case strings.HasPrefix(encoded, "$pbkdf2"):
		return parsePBKDF2(encoded)
	case strings.HasPrefix(encoded, "pbkdf2_"):
		return parseDjango(encoded)
	case strings.HasPrefix(encoded, "$scrypt$"):
		return parseScrypt(encoded)
	case strings.HasPrefix(encoded, "{"):
		return parseLDAP(encoded)
	case strings.HasPrefix(encoded, "$sha256$"), strings.HasPrefix(encoded, "$sha512$"):
		return parseSaltedHex(encoded)
	}
	return nil, ErrUnsupportedFormat
}

// imported is never current: a match always asks for an argon2id rehash.
type imported struct{}

func (imported) current(Params) bool { return false }

// bcryptHash keeps the modular crypt string that x/crypto/bcrypt compares.
type bcryptHash struct {
	imported
	encoded []byte
}

func parseBcrypt(encoded string) (stored, error) {
	cost, err := bcrypt.Cost([]byte(encoded))
	if err != nil {
		return nil, malformed("bcrypt")
	}
	if cost > maxBcryptCost {
		return nil, outOfRange("bcrypt")
	}
	return &bcryptHash{encoded: []byte(encoded)}, nil
}

func (b *bcryptHash) matches(password string) bool {
	// CompareHashAndPassword compares in constant time and, as every bcrypt
	// does, uses the first 72 bytes of the password.
	return bcrypt.CompareHashAndPassword(b.encoded, []byte(password)) == nil
}

// pbkdf2Hash is a parsed PBKDF2 hash of the PHC, passlib or Django format.
type pbkdf2Hash struct {
	imported
	newHash func() hash.Hash
	iter    int
	salt    []byte
	key     []byte
}

var pbkdf2Digests = map[string]func() hash.Hash{
	"pbkdf2":        sha1.New, // passlib's name for HMAC-SHA-1
	"pbkdf2-sha1":   sha1.New,
	"pbkdf2-sha256": sha256.New,
	"pbkdf2-sha512": sha512.New,
}

// parsePBKDF2 reads $pbkdf2-<digest>$i=<iter>[,l=<len>]$<salt>$<hash> and
// passlib's $pbkdf2-<digest>$<iter>$<ab64 salt>$<ab64 hash>.
func parsePBKDF2(encoded string) (stored, error) {
	f := strings.Split(encoded, "$")
	if len(f) != 5 || f[0] != "" {
		return nil, malformed("pbkdf2")
	}
	newHash, ok := pbkdf2Digests[f[1]]
	if !ok {
		return nil, ErrUnsupportedFormat
	}
	var iter, keyLen uint64
	if n, err := strconv.ParseUint(f[2], 10, 64); err == nil {
		iter = n
	} else {
		kv, ok := parseParams(f[2], "i", "l")
		if !ok || kv["i"] == 0 {
			return nil, malformed("pbkdf2")
		}
		iter, keyLen = kv["i"], kv["l"]
	}
	salt, err1 := decodeB64(f[3])
	key, err2 := decodeB64(f[4])
	if err1 != nil || err2 != nil || len(salt) == 0 || len(key) == 0 || (keyLen != 0 && keyLen != uint64(len(key))) {
		return nil, malformed("pbkdf2")
	}
	return newPBKDF2(newHash, iter, salt, key)
}

// parseDjango reads pbkdf2_sha256$<iter>$<salt text>$<b64 hash>.
func parseDjango(encoded string) (stored, error) {
	f := strings.Split(encoded, "$")
	if len(f) != 4 {
		return nil, malformed("pbkdf2")
	}
	var newHash func() hash.Hash
	switch f[0] {
	case "pbkdf2_sha256":
		newHash = sha256.New
	case "pbkdf2_sha1":
		newHash = sha1.New
	default:
		return nil, ErrUnsupportedFormat
	}
	iter, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil {
		return nil, malformed("pbkdf2")
	}
	key, err := decodeB64(f[3])
	if err != nil || f[2] == "" || len(key) == 0 {
		return nil, malformed("pbkdf2")
	}
	return newPBKDF2(newHash, iter, []byte(f[2]), key)
}

func newPBKDF2(newHash func() hash.Hash, iter uint64, salt, key []byte) (stored, error) {
	if iter < 1 || iter > maxPBKDF2Iter || len(key) > maxKeyLen {
		return nil, outOfRange("pbkdf2")
	}
	return &pbkdf2Hash{newHash: newHash, iter: int(iter), salt: salt, key: key}, nil
}

func (p *pbkdf2Hash) matches(password string) bool {
	got, err := pbkdf2.Key(p.newHash, password, p.salt, p.iter, len(p.key))
	return err == nil && subtle.ConstantTimeCompare(got, p.key) == 1
}

// scryptHash is a parsed $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>.
type scryptHash struct {
	imported
	n, r, p int
	salt    []byte
	key     []byte
}

func parseScrypt(encoded string) (stored, error) {
	f := strings.Split(encoded, "$")
	if len(f) != 5 || f[0] != "" {
		return nil, malformed("scrypt")
	}
	kv, ok := parseParams(f[2], "ln", "r", "p")
	if !ok || len(kv) != 3 {
		return nil, malformed("scrypt")
	}
	salt, err1 := decodeB64(f[3])
	key, err2 := decodeB64(f[4])
	if err1 != nil || err2 != nil || len(salt) == 0 || len(key) == 0 {
		return nil, malformed("scrypt")
	}
	ln, r, p := kv["ln"], kv["r"], kv["p"]
	if ln < 1 || ln > maxScryptLogN || r < 1 || r > maxScryptRounds || p < 1 || p > maxScryptRounds ||
		128*(uint64(1)<<ln)*r*p > maxScryptMemory || len(key) > maxKeyLen {
		return nil, outOfRange("scrypt")
	}
	return &scryptHash{n: 1 << ln, r: int(r), p: int(p), salt: salt, key: key}, nil
}

func (s *scryptHash) matches(password string) bool {
	got, err := scrypt.Key([]byte(password), s.salt, s.n, s.r, s.p, len(s.key))
	return err == nil && subtle.ConstantTimeCompare(got, s.key) == 1
}

// saltedSHA is SHA-2 or SHA-1 of password and salt, in the order the format
// says.
type saltedSHA struct {
	imported
	newHash    func() hash.Hash
	saltFirst  bool
	salt, want []byte
}

// parseLDAP reads {SSHA256}, {SSHA512} and {SSHA}: base64 of the digest of
// password||salt followed by the salt. Scheme names are case-insensitive.
func parseLDAP(encoded string) (stored, error) {
	end := strings.IndexByte(encoded, '}')
	if end < 0 {
		return nil, ErrUnsupportedFormat
	}
	var newHash func() hash.Hash
	switch strings.ToUpper(encoded[1:end]) {
	case "SSHA":
		newHash = sha1.New
	case "SSHA256":
		newHash = sha256.New
	case "SSHA512":
		newHash = sha512.New
	default:
		return nil, ErrUnsupportedFormat
	}
	raw, err := decodeB64(encoded[end+1:])
	size := newHash().Size()
	if err != nil || len(raw) <= size {
		return nil, malformed("salted SHA")
	}
	return &saltedSHA{newHash: newHash, want: raw[:size], salt: raw[size:]}, nil
}

// parseSaltedHex reads $sha256$<hex salt>$<hex digest of salt||password>.
func parseSaltedHex(encoded string) (stored, error) {
	f := strings.Split(encoded, "$")
	if len(f) != 4 || f[0] != "" {
		return nil, malformed("salted SHA")
	}
	newHash := sha256.New
	if f[1] == "sha512" {
		newHash = sha512.New
	}
	salt, err1 := hex.DecodeString(f[2])
	want, err2 := hex.DecodeString(f[3])
	if err1 != nil || err2 != nil || len(salt) == 0 || len(salt) > maxSaltedHashLen || len(want) != newHash().Size() {
		return nil, malformed("salted SHA")
	}
	return &saltedSHA{newHash: newHash, saltFirst: true, salt: salt, want: want}, nil
}

func (s *saltedSHA) matches(password string) bool {
	h := s.newHash()
	if s.saltFirst {
		h.Write(s.salt)
		h.Write([]byte(password))
	} else {
		h.Write([]byte(password))
		h.Write(s.salt)
	}
	return subtle.ConstantTimeCompare(h.Sum(nil), s.want) == 1
}

// parseParams reads a PHC parameter list "k=v,k=v" of decimal numbers whose
// keys are all in allowed, each at most once.
func parseParams(s string, allowed ...string) (map[string]uint64, bool) {
	kv := make(map[string]uint64, len(allowed))
	for _, pair := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(pair, "=")
		if !ok || !slices.Contains(allowed, k) {
			return nil, false
		}
		if _, dup := kv[k]; dup {
			return nil, false
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return nil, false
		}
		kv[k] = n
	}
	return kv, true
}

// decodeB64 accepts standard base64 with or without padding, and passlib's
// adapted base64, which writes '.' for '+'.
func decodeB64(s string) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	s = strings.ReplaceAll(s, ".", "+")
	return base64.RawStdEncoding.DecodeString(s)
}

func malformed(scheme string) error {
	return fmt.Errorf("%w: malformed %s hash", ErrUnsupportedFormat, scheme)
}

func outOfRange(scheme string) error {
	return fmt.Errorf("%w: %s parameters out of the accepted range", ErrUnsupportedFormat, scheme)
}
