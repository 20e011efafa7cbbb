package password

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/crypto/pbkdf2"
	"golang.org/x/crypto/scrypt"
)

func bcryptOf(t *testing.T, password string) string {
	t.Helper()
	b, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var (
	b64  = base64.RawStdEncoding.EncodeToString
	ab64 = func(b []byte) string { return strings.ReplaceAll(b64(b), "+", ".") }
)

func salted(newHash func() hash.Hash, parts ...[]byte) []byte {
	h := newHash()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

// importedVectors builds one hash per accepted format with the x/crypto and
// standard library primitives, independently of the package's parsers.
func importedVectors(t *testing.T, pw string) map[string]string {
	p := []byte(pw)
	salt := []byte("\xfb\xef\xbe0123456789abcdef")
	// This salt's base64 contains '+', so passlib's '.' alphabet is exercised.
	if !strings.Contains(b64(salt), "+") {
		t.Fatal("test salt should encode with a '+'")
	}
	bcryptHash := bcryptOf(t, pw)
	scryptKey, err := scrypt.Key(p, salt, 1<<4, 8, 1, 32)
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"argon2i": fmt.Sprintf("$argon2i$v=19$m=1024,t=1,p=1$%s$%s", b64(salt),
			b64(argon2.Key(p, salt, 1, 1024, 1, 32))),
		"bcrypt $2a$": bcryptHash,
		"bcrypt $2b$": "$2b$" + bcryptHash[4:],
		"bcrypt $2y$": "$2y$" + bcryptHash[4:],
		"pbkdf2-sha256 PHC": fmt.Sprintf("$pbkdf2-sha256$i=1000,l=32$%s$%s", b64(salt),
			b64(pbkdf2.Key(p, salt, 1000, 32, sha256.New))),
		"pbkdf2-sha512 PHC without l": fmt.Sprintf("$pbkdf2-sha512$i=1000$%s$%s", b64(salt),
			b64(pbkdf2.Key(p, salt, 1000, 64, sha512.New))),
		"pbkdf2-sha256 passlib": fmt.Sprintf("$pbkdf2-sha256$1000$%s$%s", ab64(salt),
			ab64(pbkdf2.Key(p, salt, 1000, 32, sha256.New))),
		"pbkdf2-sha1 passlib": fmt.Sprintf("$pbkdf2$1000$%s$%s", ab64(salt),
			ab64(pbkdf2.Key(p, salt, 1000, 20, sha1.New))),
		"pbkdf2_sha256 Django": "pbkdf2_sha256$1000$NaClNaCl$" +
			base64.StdEncoding.EncodeToString(pbkdf2.Key(p, []byte("NaClNaCl"), 1000, 32, sha256.New)),
		"scrypt PHC": fmt.Sprintf("$scrypt$ln=4,r=8,p=1$%s$%s", b64(salt), b64(scryptKey)),
		"SSHA256": "{SSHA256}" + base64.StdEncoding.EncodeToString(
			append(salted(sha256.New, p, salt), salt...)),
		"SSHA512": "{SSHA512}" + base64.StdEncoding.EncodeToString(
			append(salted(sha512.New, p, salt), salt...)),
		"SSHA lower-case scheme": "{ssha}" + base64.StdEncoding.EncodeToString(
			append(salted(sha1.New, p, salt), salt...)),
		"sha256 hex": "$sha256$" + hex.EncodeToString(salt) + "$" + hex.EncodeToString(salted(sha256.New, salt, p)),
		"sha512 hex": "$sha512$" + hex.EncodeToString(salt) + "$" + hex.EncodeToString(salted(sha512.New, salt, p)),
	}
}

func TestImportedFormatsVerifyAndAskForRehash(t *testing.T) {
	ctx := context.Background()
	h := New(fast, 2)
	for _, pw := range []string{"Tr0ub4dor&3", "pässwörd ünïcode"} {
		for name, encoded := range importedVectors(t, pw) {
			ok, rehash, err := h.Verify(ctx, pw, encoded)
			if !ok || !rehash || err != nil {
				t.Errorf("%s (%q): Verify = %v, %v, %v; want true, true, nil", name, pw, ok, rehash, err)
			}
			ok, rehash, err = h.Verify(ctx, pw+"x", encoded)
			if ok || rehash || err != nil {
				t.Errorf("%s: wrong password gave %v, %v, %v; want false, false, nil", name, ok, rehash, err)
			}
		}
	}
}

// Published vectors, made by other implementations.
func TestPublishedVectors(t *testing.T) {
	ctx := context.Background()
	h := New(fast, 1)
	for _, tc := range []struct{ source, password, encoded string }{
		// Openwall crypt_blowfish test vectors.
		{"crypt_blowfish", "U*U", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"},
		{"crypt_blowfish", "U*U*", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK"},
		{"crypt_blowfish", "", "$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy"},
		{"crypt_blowfish, bytes past 72 ignored",
			"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789chars after 72 are ignored",
			"$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui"},
		// Django's hasher tests.
		{"Django", "lètmein", "pbkdf2_sha256$10000$seasalt$CWWFdHOWwPnki7HvkcqN9iA2T3KLW1cf2uZ5kvArtVY="},
		// passlib's pbkdf2_sha256 tests (adapted base64).
		{"passlib", "password", "$pbkdf2-sha256$1212$4vjV83LKPjQzk31VI4E0Vw$hsYF68OiOUPdDZ1Fg.fJPeq1h/gXXY7acBp9/6c.tmQ"},
		// The argon2 reference implementation's README.
		{"argon2 reference", "password", "$argon2i$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"},
	} {
		ok, rehash, err := h.Verify(ctx, tc.password, tc.encoded)
		if !ok || !rehash || err != nil {
			t.Errorf("%s %s: Verify = %v, %v, %v; want true, true, nil", tc.source, tc.encoded, ok, rehash, err)
		}
		if ok, _, _ := h.Verify(ctx, tc.password+"!", tc.encoded); ok && !strings.Contains(tc.source, "72") {
			t.Errorf("%s %s: accepted a wrong password", tc.source, tc.encoded)
		}
	}
}

func TestUnsupportedFormats(t *testing.T) {
	h := New(fast, 1)
	for _, encoded := range []string{
		"",
		"hunter2",
		"$1$saltsalt$qjXMvbEw8oaL.CzflDugX/", // md5-crypt
		"$5$rounds=5000$salt$hash",           // sha256-crypt
		"$argon2d$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
		"$argon2id$v=16$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
		"$argon2id$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
		"$argon2id$v=19$m=1024,t=1$c2FsdHNhbHQ$aGFzaGhhc2g",
		"$argon2id$v=19$m=1024,t=1,p=1,x=2$c2FsdHNhbHQ$aGFzaGhhc2g",
		"$argon2id$v=19$m=1024,t=0,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
		"$argon2id$v=19$m=4194304,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", // 4 GiB
		"$argon2id$v=19$m=1024,t=1,p=1$!!!$aGFzaGhhc2g",
		"$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ",
		"$2a$05$tooshort",
		"$2a$31$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", // days of work
		"$pbkdf2-md5$1000$c2FsdA$aGFzaA",
		"$pbkdf2-sha256$i=99999999,l=32$c2FsdA$aGFzaA",
		"$pbkdf2-sha256$i=1000,l=31$c2FsdHNhbHQ$aGFzaGhhc2g",
		"$pbkdf2-sha256$abc$c2FsdA$aGFzaA",
		"pbkdf2_sha256$x$salt$aGFzaA==",
		"pbkdf2_sha256$1000$$aGFzaA==",
		"bcrypt_sha256$$2b$12$abc",
		"$scrypt$ln=40,r=8,p=1$c2FsdA$aGFzaA",
		"$scrypt$ln=20,r=64,p=1$c2FsdA$aGFzaA", // 8 GiB
		"$scrypt$ln=4,r=8$c2FsdA$aGFzaA",
		"{SSHA256}c2hvcnQ=",
		"{SMD5}c2FsdGVkbWQ1c2FsdGVkbWQ1",
		"{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=",
		"{SSHA512",
		"$sha256$zz$00",
		"$sha256$00$" + strings.Repeat("00", 31),
		strings.Repeat("$2a$", 1000),
	} {
		ok, rehash, err := h.Verify(context.Background(), "password", encoded)
		if ok || rehash || !errors.Is(err, ErrUnsupportedFormat) {
			t.Errorf("%.40q: Verify = %v, %v, %v; want ErrUnsupportedFormat", encoded, ok, rehash, err)
			continue
		}
		msg := err.Error()
		if !strings.HasPrefix(msg, "unsupported password hash format") {
			t.Errorf("%.40q: error %q", encoded, msg)
		}
		fields := strings.FieldsFunc(encoded, func(r rune) bool { return r == '$' || r == '}' })
		for i, field := range fields {
			if i > 0 && len(field) >= 6 && strings.Contains(msg, field) { // fields[0] names the scheme
				t.Errorf("error %q reveals part of the hash (%q)", msg, field)
			}
		}
	}
}
