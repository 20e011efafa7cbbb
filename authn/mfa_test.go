package authn_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"image/png"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"iamd/authn"
	"iamd/iam"
	"iamd/seal"
)

// withSeal makes the fixture seal TOTP seeds with a master key, as the
// server does.
func (f *fixture) withSeal() {
	f.t.Helper()
	key := make([]byte, seal.KeySize)
	_, _ = rand.Read(key)
	box, err := seal.New(key)
	if err != nil {
		f.t.Fatal(err)
	}
	f.auth.Seal = func(b []byte) []byte { return box.Seal(b, nil) }
	f.auth.Unseal = func(b []byte) ([]byte, error) { return box.Open(b, nil) }
}

func (f *fixture) code(secret string) string {
	f.t.Helper()
	c, err := totp.GenerateCode(secret, f.clock())
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// otherCode is a six-digit code that is not want.
func otherCode(want string) string {
	if want == "000000" {
		return "111111"
	}
	return "000000"
}

// mfaUser signs up a user and turns MFA on, returning the key's secret
// and the recovery codes.
func (f *fixture) mfaUser(name string, kind authn.RecoveryCodeType) (*iam.User, string, []string) {
	f.t.Helper()
	ctx := context.Background()
	u := f.user(name, "Correct-Horse-9")
	e, err := f.auth.StartTOTPEnrollment(ctx, f.realm, u.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	rc, err := f.auth.EnableTOTP(ctx, f.realm, u.ID, f.code(e.Secret), kind, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return u, e.Secret, rc
}

func TestTOTPEnrollment(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{MaxOTPFailures: 10})
	f.withSeal()
	ctx := context.Background()
	u := f.user("ann", "Correct-Horse-9")

	e, err := f.auth.StartTOTPEnrollment(ctx, f.realm, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	uri, err := url.Parse(e.URI)
	if err != nil || uri.Scheme != "otpauth" || uri.Host != "totp" || uri.Path != "/Acme:ann" ||
		uri.Query().Get("secret") != e.Secret || uri.Query().Get("issuer") != "Acme" || len(e.Secret) != 32 {
		t.Fatalf("key URI %q, secret %q", e.URI, e.Secret)
	}
	if img, err := png.Decode(bytes.NewReader(e.QRCodePNG)); err != nil || img.Bounds().Dx() != 256 {
		t.Fatalf("QR code: %v", err)
	}
	if on, _ := f.auth.MFAStatus(ctx, f.realm, u.ID); on {
		t.Fatal("a key alone does not turn MFA on")
	}

	// A wrong code spends an attempt of the enrolment.
	_, err = f.auth.EnableTOTP(ctx, f.realm, u.ID, otherCode(f.code(e.Secret)), "", "")
	if left, ok := authn.AttemptsLeft(err); !ok || left != 9 || !iam.IsCode(err, iam.CodeUnauthorized) {
		t.Fatalf("wrong code: %v (left %d)", err, left)
	}
	_, err = f.auth.EnableTOTP(ctx, f.realm, u.ID, f.code(e.Secret), "FOUR_DIGIT", "")
	wantCode(t, err, iam.CodeInvalid)

	// A second request replaces the key: the first one's codes no longer enable.
	first := e
	f.advance(time.Second)
	if e, err = f.auth.StartTOTPEnrollment(ctx, f.realm, u.ID); err != nil {
		t.Fatal(err)
	}
	if first.Secret == e.Secret {
		t.Fatal("a new key each time")
	}
	if f.code(first.Secret) != f.code(e.Secret) {
		_, err = f.auth.EnableTOTP(ctx, f.realm, u.ID, f.code(first.Secret), "", "")
		wantCode(t, err, iam.CodeUnauthorized)
	}

	enrolCode := f.code(e.Secret)
	rc, err := f.auth.EnableTOTP(ctx, f.realm, u.ID, enrolCode, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if len(rc) != authn.RecoveryCodeCount || !regexp.MustCompile(`^[0-9]{8}$`).MatchString(rc[0]) {
		t.Fatalf("recovery codes: %v", rc)
	}
	if on, _ := f.auth.MFAStatus(ctx, f.realm, u.ID); !on {
		t.Fatal("MFA is on")
	}
	sc := f.store.Realm(f.realm.ID)
	creds, _ := sc.Credentials().List(ctx, u.ID, iam.CredTOTP)
	if len(creds) != 1 || strings.Contains(creds[0].Secret, e.Secret) {
		t.Fatalf("the seed is stored sealed: %+v", creds)
	}
	stored, _ := sc.Credentials().List(ctx, u.ID, iam.CredRecoveryCode)
	if len(stored) != authn.RecoveryCodeCount || stored[0].Secret == rc[0] {
		t.Fatal("recovery codes are stored hashed")
	}

	// On: no new key, no second enable.
	_, err = f.auth.StartTOTPEnrollment(ctx, f.realm, u.ID)
	wantCode(t, err, iam.CodeConflict)
	_, err = f.auth.EnableTOTP(ctx, f.realm, u.ID, enrolCode, "", "")
	wantCode(t, err, iam.CodePrecondition) // the enrolment is used

	// The code that enabled MFA does not also sign in; the next one does.
	_, _, err = f.auth.MFASignIn(ctx, f.realm, "ann", "Correct-Horse-9", enrolCode, "")
	wantCode(t, err, iam.CodeUnauthorized)
	f.advance(30 * time.Second)
	got, method, err := f.auth.MFASignIn(ctx, f.realm, "ann", "Correct-Horse-9", f.code(e.Secret), "")
	if err != nil || got.ID != u.ID || method != authn.AMROTP {
		t.Fatalf("MFA sign-in: %v %v", method, err)
	}
	_, _, err = f.auth.MFASignIn(ctx, f.realm, "ann", "wrong-password", f.code(e.Secret), "")
	wantCode(t, err, iam.CodeUnauthorized)
}

func TestTOTPEnrollmentExpires(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{MaxOTPFailures: 10})
	ctx := context.Background()
	u := f.user("bob", "Correct-Horse-9")
	_, err := f.auth.EnableTOTP(ctx, f.realm, u.ID, "123456", "", "")
	wantCode(t, err, iam.CodePrecondition) // nothing requested
	e, err := f.auth.StartTOTPEnrollment(ctx, f.realm, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.advance(authn.TOTPEnrollmentTTL + time.Second)
	_, err = f.auth.EnableTOTP(ctx, f.realm, u.ID, f.code(e.Secret), "", "")
	wantCode(t, err, iam.CodePrecondition)
	_, err = f.auth.StartTOTPEnrollment(ctx, f.realm, iam.NewID())
	wantCode(t, err, iam.CodeNotFound)
}

func TestRecoveryCodesWorkOnce(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{MaxOTPFailures: 10})
	ctx := context.Background()
	u, _, rc := f.mfaUser("cy", authn.RecoveryAlphanumeric)
	if !regexp.MustCompile(`^[A-Z2-9]{10}$`).MatchString(rc[0]) {
		t.Fatalf("alphanumeric recovery codes: %v", rc)
	}
	// Typed in lower case with a hyphen, still the code.
	typed := strings.ToLower(rc[3][:5] + "-" + rc[3][5:])
	got, method, err := f.auth.MFASignIn(ctx, f.realm, "cy", "Correct-Horse-9", typed, "")
	if err != nil || got.ID != u.ID || method != authn.AMRRecovery {
		t.Fatalf("recovery code: %v %v", method, err)
	}
	_, _, err = f.auth.MFASignIn(ctx, f.realm, "cy", "Correct-Horse-9", rc[3], "")
	wantCode(t, err, iam.CodeUnauthorized)
	left, _ := f.store.Realm(f.realm.ID).Credentials().List(ctx, u.ID, iam.CredRecoveryCode)
	if len(left) != authn.RecoveryCodeCount-1 {
		t.Fatalf("%d recovery codes left", len(left))
	}
	_, _, err = f.auth.MFASignIn(ctx, f.realm, "cy", "Correct-Horse-9", "", "")
	wantCode(t, err, iam.CodeInvalid)

	// Six-digit recovery codes are told from authenticator codes by trying both.
	_, _, six := f.mfaUser("dee", authn.RecoverySixDigit)
	if _, method, err := f.auth.MFASignIn(ctx, f.realm, "dee", "Correct-Horse-9", six[0], ""); err != nil || method != authn.AMRRecovery {
		t.Fatalf("six-digit recovery code: %v %v", method, err)
	}
	// Without MFA there is no second factor to check.
	f.user("eve", "Correct-Horse-9")
	_, _, err = f.auth.MFASignIn(ctx, f.realm, "eve", "Correct-Horse-9", "123456", "")
	wantCode(t, err, iam.CodePrecondition)
}

func TestMFAFailuresLockAndDisable(t *testing.T) {
	f := newFixture(t, iam.BruteForcePolicy{MaxOTPFailures: 3, MaxPasswordFailures: 5})
	ctx := context.Background()
	u, secret, rc := f.mfaUser("fay", "")
	bad := otherCode(f.code(secret))
	for i := 0; i < 2; i++ {
		_, _, err := f.auth.MFASignIn(ctx, f.realm, "fay", "Correct-Horse-9", bad, "")
		wantCode(t, err, iam.CodeUnauthorized)
	}
	_, _, err := f.auth.MFASignIn(ctx, f.realm, "fay", "Correct-Horse-9", bad, "")
	wantCode(t, err, iam.CodeLocked)
	_, _, err = f.auth.MFASignIn(ctx, f.realm, "fay", "Correct-Horse-9", rc[0], "")
	wantCode(t, err, iam.CodeLocked) // locked: a recovery code is not spent either
	f.advance(16 * time.Minute)

	wantCode(t, f.auth.DisableMFA(ctx, f.realm, u.ID, "wrong-password", ""), iam.CodeUnauthorized)
	if err := f.auth.DisableMFA(ctx, f.realm, u.ID, "Correct-Horse-9", ""); err != nil {
		t.Fatal(err)
	}
	if on, _ := f.auth.MFAStatus(ctx, f.realm, u.ID); on {
		t.Fatal("MFA is off")
	}
	if left, _ := f.store.Realm(f.realm.ID).Credentials().List(ctx, u.ID, iam.CredRecoveryCode); len(left) != 0 {
		t.Fatal("the recovery codes go with it")
	}
	if err := f.auth.DisableMFA(ctx, f.realm, u.ID, "Correct-Horse-9", ""); err != nil {
		t.Fatalf("disabling twice: %v", err)
	}
	// An administrator removes it for a user who lost the phone.
	v, _, _ := f.mfaUser("gus", "")
	if removed, err := f.auth.RemoveMFA(ctx, f.realm, v.ID, "admin"); !removed || err != nil {
		t.Fatalf("remove: %v %v", removed, err)
	}
	if removed, err := f.auth.RemoveMFA(ctx, f.realm, v.ID, "admin"); removed || err != nil {
		t.Fatalf("remove again: %v %v", removed, err)
	}
	_, err = f.auth.RemoveMFA(ctx, f.realm, iam.NewID(), "admin")
	wantCode(t, err, iam.CodeNotFound)
}
