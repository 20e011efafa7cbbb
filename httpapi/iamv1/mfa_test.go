package iamv1_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"image/png"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"iamd/directory"
	"iamd/iam"
	"iamd/seal"
)

const (
	mfaKeyPath    = "/v1/iam/auth/sign-in/web/mfa"
	mfaEnablePath = "/v1/iam/auth/sign-in/web/mfa-enable"
	mfaSignInPath = "/v1/iam/auth/sign-in/web/mfa-signin"
	mfaStatusPath = "/v1/iam/auth/sign-in/web/mfa-status"

	msgMFAKeyFailed     = "Failed to get MFA key"
	msgMFAEnableFailed  = "Failed to enable MFA"
	msgMFADisableFailed = "Failed to disable MFA"
	msgMFASignInFailed  = "Failed to authenticate using MFA"
)

// mfaQR decodes the base64 PNG of a QR code, as an authenticator app's
// camera would read it, and returns the key it holds.
func mfaQR(t *testing.T, b64 string) *otp.Key {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("qrCodeBytes is not base64: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("qrCodeBytes is not a PNG: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the PNG is not a readable QR code: %v", err)
	}
	key, err := otp.NewKeyFromURL(res.GetText())
	if err != nil {
		t.Fatalf("the QR code holds %q: %v", res.GetText(), err)
	}
	return key
}

// mfaSealSeeds makes the server seal TOTP seeds with a master key, as
// iamd serve does. The fixture leaves sealing off, since other tests
// store secrets in clear; the MFA tests want the stored form of the server.
func (f *fixture) mfaSealSeeds() {
	f.t.Helper()
	key := make([]byte, seal.KeySize)
	_, _ = rand.Read(key)
	box, err := seal.New(key)
	if err != nil {
		f.t.Fatal(err)
	}
	f.Authn.Seal = func(b []byte) []byte { return box.Seal(b, nil) }
	f.Authn.Unseal = func(b []byte) ([]byte, error) { return box.Open(b, nil) }
}

// mfaCode is the authenticator's code for secret at the fixture's now.
func (f *fixture) mfaCode(secret string) string {
	f.t.Helper()
	c, err := totp.GenerateCode(secret, f.now())
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}

// mfaJSONCode writes a code as the document's examples do, as a JSON
// number, unless a leading zero makes that invalid JSON.
func mfaJSONCode(code string) string {
	if strings.HasPrefix(code, "0") {
		return `"` + code + `"`
	}
	return code
}

// mfaNotCode is a six-digit code that is not want.
func mfaNotCode(want string) string {
	if want == "000000" {
		return "111111"
	}
	return "000000"
}

// mfaAdminToken is the access token of a new realm administrator.
func (f *fixture) mfaAdminToken(name string) string {
	f.t.Helper()
	ctx := context.Background()
	u, err := f.Dir.CreateUser(ctx, f.Realm, directory.NewUser{Username: name, RealmRoles: []string{iam.RoleAdmin}}, "")
	if err != nil {
		f.t.Fatal(err)
	}
	app, err := f.Dir.EnsureApp(ctx, f.Realm, directory.NewApp{ClientID: "iam-web", Public: true, GrantTypes: []string{iam.GrantRefreshToken}})
	if err != nil {
		f.t.Fatal(err)
	}
	return f.otherRealmToken(f.Realm, app, u)
}

// mfaEnrol turns MFA on for the holder of token and returns the key's
// secret and the recovery codes.
func (f *fixture) mfaEnrol(token, mfaType string) (string, []string) {
	f.t.Helper()
	key := f.want(f.post(mfaKeyPath, nil, "x-access-token", token), http.StatusOK)
	r := f.want(f.post(mfaEnablePath, map[string]any{"mfaCode": f.mfaCode(key.str("key")), "mfaType": mfaType}, "x-access-token", token), http.StatusOK)
	var codes []string
	for _, c := range r.body["recoveryCodes"].([]any) {
		codes = append(codes, c.(string))
	}
	return key.str("key"), codes
}

// MFA end to end: a key and QR code an authenticator reads; a code of it
// turns MFA on and gives recovery codes; then the password alone gives no
// tokens, the password and a current code or an unused recovery code do,
// a recovery code works once; the password turns MFA off again.
func TestMFAEnrolSignInRecoverDisable(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.mfaSealSeeds()
		f.signUpWeb("ann@example.com", "Correct-Horse-9", "Acme")
		token := f.signIn("ann@example.com", "Correct-Horse-9").str("accessToken")
		auth := []string{"x-access-token", token}
		for _, r := range []resp{f.get(mfaStatusPath), f.post(mfaKeyPath, nil), f.post(mfaEnablePath, map[string]any{"mfaCode": "123456"}),
			f.call(http.MethodDelete, mfaKeyPath, map[string]any{"password": "Correct-Horse-9"})} {
			f.wantError(r, http.StatusUnauthorized, "Unauthorized", "")
		}
		if st := f.want(f.get(mfaStatusPath, auth...), http.StatusOK); st.flag("enableStatus") || strings.TrimSpace(st.raw) != `{"enableStatus":false}` {
			t.Fatalf("status: %s", st.raw)
		}
		f.wantError(f.post(mfaEnablePath, map[string]any{"mfaCode": "123456"}, auth...), http.StatusBadRequest, msgMFAEnableFailed, "") // no key asked for

		key := f.want(f.post(mfaKeyPath, nil, auth...), http.StatusOK)
		secret := key.str("key")
		qr := mfaQR(t, key.str("qrCodeBytes"))
		if key.flag("enableStatus") || qr.Type() != "totp" || qr.Secret() != secret || qr.Issuer() != "acme" || qr.AccountName() != "ann@example.com" ||
			qr.Digits() != otp.DigitsSix || qr.Period() != 30 || qr.Algorithm() != otp.AlgorithmSHA1 {
			t.Fatalf("key %s, QR code %s", key.raw, qr)
		}

		// Bad input, then a wrong code (an attempt spent), then the right one.
		f.wantError(f.post(mfaEnablePath, map[string]any{"mfaType": "SIX_DIGIT"}, auth...), http.StatusBadRequest, "", "mfaCode")
		f.wantError(f.post(mfaEnablePath, map[string]any{"mfaCode": "123456", "mfaType": "FOUR_DIGIT"}, auth...), http.StatusBadRequest, "", "mfaType")
		f.wantError(f.post(mfaEnablePath, map[string]any{"mfaCode": []int{1}}, auth...), http.StatusBadRequest, "", "mfaCode")
		wrong := f.post(mfaEnablePath, map[string]any{"mfaCode": mfaNotCode(f.mfaCode(secret))}, auth...)
		f.wantError(wrong, http.StatusBadRequest, msgMFAEnableFailed, "")
		if _, ok := wrong.body["retriesLeft"]; !ok || wrong.str("errorCode") != string(iam.CodeUnauthorized) {
			t.Fatalf("wrong code: %s", wrong.raw)
		}
		if f.want(f.get(mfaStatusPath, auth...), http.StatusOK).flag("enableStatus") {
			t.Fatal("MFA is still off")
		}
		enrolCode := f.mfaCode(secret)
		// The document's example writes the code as a number.
		en := f.want(f.post(mfaEnablePath, `{"mfaCode": `+mfaJSONCode(enrolCode)+`, "mfaType": "alpha_numeric"}`, auth...), http.StatusOK)
		codes, _ := en.body["recoveryCodes"].([]any)
		if !en.flag("enableStatus") || len(codes) != 10 || !regexp.MustCompile(`^[A-Z2-9]{10}$`).MatchString(codes[0].(string)) {
			t.Fatalf("enable: %s", en.raw)
		}
		if !f.want(f.get(mfaStatusPath, auth...), http.StatusOK).flag("enableStatus") {
			t.Fatal("MFA is on")
		}
		ann, err := f.Dir.FindUser(context.Background(), f.Realm, "ann@example.com")
		if err != nil {
			t.Fatal(err)
		}
		stored, err := f.Store.Realm(f.Realm.ID).Credentials().List(context.Background(), ann.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range stored {
			if strings.Contains(c.Secret, secret) || (c.Type == iam.CredRecoveryCode && slices.Contains(codes, any(c.Secret))) {
				t.Fatalf("a %s is stored in clear", c.Type)
			}
		}
		// On: no key is shown again.
		if again := f.want(f.post(mfaKeyPath, nil, auth...), http.StatusOK); strings.TrimSpace(again.raw) != `{"enableStatus":true}` {
			t.Fatalf("key while on: %s", again.raw)
		}

		// The password alone gives no tokens.
		pw := f.signIn("ann@example.com", "Correct-Horse-9")
		if !pw.flag("mfaenabled") || pw.str("accessToken") != "" || pw.str("refreshToken") != "" {
			t.Fatalf("password alone: %s", pw.raw)
		}
		mfa := func(user, password string, code any) resp {
			return f.post(mfaSignInPath, map[string]any{"userName": user, "password": password, "mfaCode": code})
		}
		f.wantError(mfa("ann@example.com", "Correct-Horse-9", enrolCode), http.StatusBadRequest, msgMFASignInFailed, "") // spent on enabling
		f.advance(30 * time.Second)
		f.wantError(mfa("ann@example.com", "wrong-password", f.mfaCode(secret)), http.StatusBadRequest, msgMFASignInFailed, "")
		f.wantError(mfa("ann@example.com", "Correct-Horse-9", ""), http.StatusBadRequest, "", "mfaCode")
		f.wantError(f.post(mfaSignInPath, map[string]any{"userName": "ann@example.com", "mfaCode": "123456"}), http.StatusBadRequest, "", "password")
		ok := f.want(mfa("ann@example.com", "Correct-Horse-9", f.mfaCode(secret)), http.StatusOK)
		if ok.str("accessToken") == "" || ok.str("refreshToken") == "" || !ok.flag("mfaenabled") || f.userinfo(ok.str("accessToken")) != http.StatusOK {
			t.Fatalf("MFA sign-in: %s", ok.raw)
		}
		if amr, _ := claims(t, ok.str("idToken"))["amr"].([]any); !slices.Contains(amr, any("otp")) || !slices.Contains(amr, any("pwd")) {
			t.Fatalf("amr: %v", amr)
		}
		if ok.header.Get("Set-Cookie") == "" {
			t.Fatal("the web MFA sign-in sets the access cookie, as web sign-in does")
		}
		// A recovery code works once.
		rc := codes[4].(string)
		f.want(mfa("ann@example.com", "Correct-Horse-9", rc), http.StatusOK)
		f.wantError(mfa("ann@example.com", "Correct-Horse-9", rc), http.StatusBadRequest, msgMFASignInFailed, "")

		// The password turns it off; afterwards the password alone signs in.
		del := func(body any) resp { return f.call(http.MethodDelete, mfaKeyPath, body, auth...) }
		f.wantError(del(map[string]any{"password": "wrong-password"}), http.StatusBadRequest, msgMFADisableFailed, "")
		f.wantError(del(map[string]any{}), http.StatusBadRequest, "", "password")
		if off := f.want(del(map[string]any{"password": "Correct-Horse-9"}), http.StatusOK); strings.TrimSpace(off.raw) != `{"enableStatus":false}` {
			t.Fatalf("disable: %s", off.raw)
		}
		if f.signIn("ann@example.com", "Correct-Horse-9").str("accessToken") == "" {
			t.Fatal("without MFA the password signs in")
		}
		f.wantError(mfa("ann@example.com", "Correct-Horse-9", codes[5]), http.StatusBadRequest, msgMFASignInFailed, "") // the recovery codes went too
	})
}

// Wrong MFA codes count toward the lockout; an administrator turns MFA
// off for a user who lost their phone.
func TestMFALockoutAndAdminDisable(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		f.mfaSealSeeds()
		f.Realm.Settings.BruteForce.MaxOTPFailures = 3
		if err := f.Store.Realms().Update(context.Background(), f.Realm); err != nil {
			t.Fatal(err)
		}
		f.signUpWeb("bo@example.com", "Correct-Horse-9", "")
		secret, _ := f.mfaEnrol(f.signIn("bo@example.com", "Correct-Horse-9").str("accessToken"), "")
		f.advance(30 * time.Second)
		bad := map[string]any{"userName": "bo@example.com", "password": "Correct-Horse-9", "mfaCode": mfaNotCode(f.mfaCode(secret))}
		for i := 0; i < 2; i++ {
			f.wantError(f.post(mfaSignInPath, bad), http.StatusBadRequest, msgMFASignInFailed, "")
		}
		locked := f.post(mfaSignInPath, bad)
		f.wantError(locked, http.StatusBadRequest, msgMFASignInFailed, "")
		if locked.str("errorCode") != string(iam.CodeLocked) {
			t.Fatalf("the third failure locks: %s", locked.raw)
		}
		good := map[string]any{"userName": "bo@example.com", "password": "Correct-Horse-9", "mfaCode": f.mfaCode(secret)}
		f.wantError(f.post(mfaSignInPath, good), http.StatusBadRequest, msgMFASignInFailed, "")

		path := "/v1/iam/users/disableMFAUserAccount/"
		f.signUpWeb("cy@example.com", "Correct-Horse-9", "")
		plain := f.signIn("cy@example.com", "Correct-Horse-9").str("accessToken")
		f.wantError(f.get(path+"bo@example.com"), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(f.get(path+"bo@example.com", "x-access-token", plain), http.StatusForbidden, "Forbidden", "")
		admin := f.mfaAdminToken("mfa-boss")
		f.wantError(f.get(path+"nobody@example.com", "x-access-token", admin), http.StatusNotFound, "Not Found", "")
		f.wantError(f.get(path+"not-an-email", "x-access-token", admin), http.StatusBadRequest, "", "email")
		r := f.want(f.get(path+url.PathEscape("BO@Example.com"), "x-access-token", admin), http.StatusOK)
		if r.raw != "MFA disabled for email" {
			t.Fatalf("admin disable: %q", r.raw)
		}
		f.want(f.get(path+"bo@example.com", "x-access-token", admin), http.StatusOK) // off already
		f.advance(16 * time.Minute)                                                  // the lock expires
		if s := f.signIn("bo@example.com", "Correct-Horse-9"); s.str("accessToken") == "" || s.flag("mfaenabled") {
			t.Fatalf("after the administrator's reset the password signs in: %s", s.raw)
		}
	})
}
