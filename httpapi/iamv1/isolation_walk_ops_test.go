package iamv1_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"iamd/directory"
	"iamd/httpapi/iamv1"
)

// Statuses of the walk's expectations.
const (
	s200 = http.StatusOK
	s204 = http.StatusNoContent
	s208 = http.StatusAlreadyReported
	s400 = http.StatusBadRequest
	s401 = http.StatusUnauthorized
	s403 = http.StatusForbidden
	s404 = http.StatusNotFound
)

func walkPost(path string, body any, want ...int) walkReq {
	return walkReq{method: http.MethodPost, path: path, body: body, want: want}
}

func walkGet(path string, want ...int) walkReq {
	return walkReq{method: http.MethodGet, path: path, want: want}
}

func walkCall(method, path string, body any, want ...int) walkReq {
	return walkReq{method: method, path: path, body: body, want: want}
}

// self allows a success: why it is no breach.
func (r walkReq) self(why string) walkReq { r.allow2xx = why; return r }

func (r walkReq) checked(fn func(t *testing.T, w *walkWorld, r resp)) walkReq { r.check = fn; return r }

// walkMalTokens checks that tokens an answer carries are the attacker's,
// and not for the victim's organization.
func walkMalTokens(t *testing.T, w *walkWorld, r resp) {
	t.Helper()
	if r.status != s200 {
		return
	}
	c := claims(t, r.str("accessToken"))
	if c["sub"] != w.mal.ID || c["org_num"] == float64(w.v) {
		t.Errorf("LEAK: tokens answered to the attacker are sub %v org %v", c["sub"], c["org_num"])
	}
}

// walkNoMessage checks that nothing was sent to to by the request.
func walkNoMessage(to string, before *int) func(t *testing.T, w *walkWorld, r resp) {
	return func(t *testing.T, w *walkWorld, r resp) {
		t.Helper()
		if n := len(w.f.messages(to)); n != *before {
			t.Errorf("LEAK: the refused request sent %d message(s) to %s", n-*before, to)
		}
	}
}

// walkIntercom checks an Intercom hash is the attacker's.
func walkIntercom(attr string) func(t *testing.T, w *walkWorld, r resp) {
	return func(t *testing.T, w *walkWorld, r resp) {
		t.Helper()
		mac := hmac.New(sha256.New, []byte("walk-secret-"+attr))
		mac.Write([]byte(strconv.FormatInt(w.mal.Num, 10)))
		if r.status == s200 && r.str("hash") != hex.EncodeToString(mac.Sum(nil)) {
			t.Errorf("LEAK: the Intercom hash is not of the caller: %s", r.raw)
		}
	}
}

// walkMalInvite has the attacker invite a stranger to M and returns the
// invitation's code (the attacker's own, legitimately).
func walkMalInvite(w *walkWorld, email string) string {
	w.f.want(w.f.post("/v1/iam/auth/user/invite", map[string]any{"email": email}, "x-access-token", w.malAccess), s200)
	return w.f.last(email).Code
}

func walkUserPath(n int64) string { return "/v1/iam/users/" + strconv.FormatInt(n, 10) }

// walkOps: every operation API.Mount registers, in A.2 order.
var walkOps = []walkOp{
	// #1, #3, #14: the refresh token says whose tokens they are; tenantId V is not the attacker's.
	{"POST /v1/iam/auth/app/getrefreshtoken", "#1", walkPublic, walkRefresh("app")},
	{"GET /v1/iam/auth/books/invite/status", "#2", walkPublic, func(w *walkWorld) []walkReq {
		return []walkReq{walkGet("/v1/iam/auth/books/invite/status?code="+url.QueryEscape(w.vInviteSession), s404)}
	}},
	{"POST /v1/iam/auth/mobile/getrefreshtoken", "#3", walkPublic, walkRefresh("mobile")},
	{"POST /v1/iam/auth/password/confirm", "#4", walkPublic, func(w *walkWorld) []walkReq {
		// The victim has a live reset code; the attacker's own code must not reset her password.
		w.f.want(w.f.post("/v1/iam/auth/password/forgot", map[string]any{"userName": walkVic}), s200)
		w.f.want(w.f.post("/v1/iam/auth/password/forgot", map[string]any{"userName": walkMal}), s200)
		code := w.f.last(walkMal).Code
		return []walkReq{walkPost("/v1/iam/auth/password/confirm", map[string]any{"userName": walkVic, "confirmationCode": code, "password": "Pwned-Horse-77"}, s400, s404)}
	}},
	{"POST /v1/iam/auth/password/forgot", "#5", walkPublic, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/auth/password/forgot", map[string]any{"userName": walkVic}, s200).
			self("the document's forgot-password: the code goes to the victim's own address, never to the caller").
			checked(func(t *testing.T, w *walkWorld, r resp) {
				if strings.Contains(r.raw, w.f.last(walkVic).Code) {
					t.Errorf("LEAK: forgot-password answered the code")
				}
			})}
	}},
	{"POST /v1/iam/auth/sign-up/affiliate", "#6", walkPublic, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/auth/sign-up/affiliate", map[string]any{"emailId": walkVic, "password": walkMalPassword}, s400)}
	}},
	{"POST /v1/iam/auth/sign-up/books/invite", "#7", walkPublic, func(w *walkWorld) []walkReq {
		code := walkMalInvite(w, "stranger7@example.com")
		return []walkReq{
			walkPost("/v1/iam/auth/sign-up/books/invite", map[string]any{"inviteCode": code, "email": walkVic, "password": walkMalPassword}, s400),
			walkPost("/v1/iam/auth/sign-up/books/invite", map[string]any{"inviteCode": w.vInviteSession, "email": "x7@example.com", "password": walkMalPassword}, s404),
		}
	}},
	{"POST /v1/iam/auth/sign-up/employee/invite", "#8", walkPublic, func(w *walkWorld) []walkReq {
		code := walkMalInvite(w, "stranger8@example.com")
		return []walkReq{
			walkPost("/v1/iam/auth/sign-up/employee/invite", map[string]any{"inviteCode": code, "email": walkVic, "password": walkMalPassword}, s400, s401, s404),
			walkPost("/v1/iam/auth/sign-up/employee/invite", map[string]any{"inviteCode": w.vInviteSession, "email": walkVic, "password": walkMalPassword}, s404),
		}
	}},
	{"POST /v1/iam/auth/sign-up/mobile", "#9", walkPublic, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/auth/sign-up/mobile", map[string]any{"contact": walkVicPhone, "organizationName": "Victim Co"}, s400)}
	}},
	{"POST /v1/iam/auth/sign-up/web", "#10", walkPublic, func(w *walkWorld) []walkReq {
		return []walkReq{
			walkPost("/v1/iam/auth/sign-up/web", map[string]any{"emailId": walkVic, "password": walkMalPassword, "organizationName": "Victim Co"}, s400),
			walkPost("/v1/iam/auth/sign-up/web", map[string]any{"emailId": "x10@example.com", "password": walkMalPassword, "contact": walkMobPhone}, s400),
		}
	}},
	{"GET /v1/iam/auth/user", "#11", walkPublic, func(w *walkWorld) []walkReq {
		return []walkReq{walkGet("/v1/iam/auth/user?action=checkExistingUserDetails&emailId="+url.QueryEscape(walkVic), s200).
			self("check-user is public by the document and answers three booleans").
			checked(func(t *testing.T, w *walkWorld, r resp) {
				for k, v := range r.body {
					if _, ok := v.(bool); !ok {
						t.Errorf("LEAK: check-user answered %s=%v", k, v)
					}
				}
			})}
	}},
	{"POST /v1/iam/auth/user/invite", "#12", walkUser, func(w *walkWorld) []walkReq {
		// No tenantId: only the caller's current organization (M) invites.
		return []walkReq{walkPost("/v1/iam/auth/user/invite", map[string]any{"email": "stranger12@example.com"}, s200).
			self("invites to the caller's own organization M; no field names another")}
	}},
	{"POST /v1/iam/auth/user/verify-invite", "#13", walkPublic, func(w *walkWorld) []walkReq {
		code := walkMalInvite(w, "stranger13@example.com")
		return []walkReq{
			walkPost("/v1/iam/auth/user/verify-invite", map[string]any{"session": w.vInviteSession, "verificationCode": code, "email": "newbie@example.com"}, s404),
			walkPost("/v1/iam/auth/user/verify-invite", map[string]any{"session": w.vInviteSession, "verificationCode": "not-the-code", "email": "newbie@example.com"}, s404),
		}
	}},
	{"POST /v1/iam/auth/web/getrefreshtoken", "#14", walkPublic, walkRefresh("web")},
	{"GET /v1/iam/auth/email/regenerate", "#15", walkPublic, func(w *walkWorld) []walkReq {
		return []walkReq{walkGet("/v1/iam/auth/email/regenerate?email="+url.QueryEscape(walkVic), s200, s400).
			self("the document's regenerate: the new link goes to the victim's own address")}
	}},
	{"GET /v1/iam/auth/email/verification", "#16", walkPublic, func(w *walkWorld) []walkReq {
		tok := w.malLinkToken
		q := func(user int64, token string) string {
			return "/v1/iam/auth/email/verification?" + url.Values{"user": {strconv.FormatInt(user, 10)}, "token": {token}}.Encode()
		}
		return []walkReq{walkGet(q(w.vic.Num, tok), s404), walkGet(q(w.vmem.Num, w.vicLinkToken), s404)}
	}},
	{"GET /v1/iam/auth/logout", "#17", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkGet("/v1/iam/auth/logout", s200).self("ends the caller's own session")}
	}},
	{"GET /v1/iam/auth/logout2", "#18", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkGet("/v1/iam/auth/logout2", s200).self("ends the caller's own session")}
	}},
	{"POST /v1/iam/auth/mobile/social", "#19", walkPublic, walkSocial("/v1/iam/auth/mobile/social")},
	{"GET /v1/iam/auth/sign-in/login/status", "#20", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkGet("/v1/iam/auth/sign-in/login/status", s200).self("the caller's own login status").checked(walkMalTokens)}
	}},
	{"POST /v1/iam/auth/sign-in/mobile", "#21", walkPublic, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/auth/sign-in/mobile", map[string]any{"phoneNumber": walkMobPhone}, s200).
			self("the document's mobile sign-in: the code goes by SMS to the victim's own phone").
			checked(func(t *testing.T, w *walkWorld, r resp) {
				if strings.Contains(r.raw, w.f.last(walkMobPhone).Code) {
					t.Errorf("LEAK: mobile sign-in answered the code")
				}
			})}
	}},
	{"POST /v1/iam/auth/sign-in/mobile/verify", "#22", walkPublic, func(w *walkWorld) []walkReq {
		// The attacker's own session and code (for his phone) against the victim's number.
		session := w.f.want(w.f.post("/v1/iam/auth/sign-in/mobile", map[string]any{"phoneNumber": walkMalPhone}), s200).raw
		code := w.f.last(walkMalPhone).Code
		return []walkReq{walkPost("/v1/iam/auth/sign-in/mobile/verify", map[string]any{"phoneNumber": walkMobPhone, "session": session, "verificationCode": code}, s400, s404)}
	}},
	{"POST /v1/iam/auth/sign-in/web/mfa", "#23", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/auth/sign-in/web/mfa", nil, s200).self("a new authenticator key for the caller")}
	}},
	{"DELETE /v1/iam/auth/sign-in/web/mfa", "#24", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkCall(http.MethodDelete, "/v1/iam/auth/sign-in/web/mfa", map[string]any{"password": walkVicPassword}, s200, s400).
			self("the caller's own MFA (off already: success, as documented)")}
	}},
	{"POST /v1/iam/auth/sign-in/web/mfa-enable", "#25", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/auth/sign-in/web/mfa-enable", map[string]any{"mfaCode": "000000", "mfaType": "SIX_DIGIT"}, s400)}
	}},
	{"POST /v1/iam/auth/sign-in/web/mfa-signin", "#26", walkPublic, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/auth/sign-in/web/mfa-signin", map[string]any{"userName": walkVic, "password": walkMalPassword, "mfaCode": "000000"}, s400)}
	}},
	{"GET /v1/iam/auth/sign-in/web/mfa-status", "#27", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkGet("/v1/iam/auth/sign-in/web/mfa-status", s200).self("the caller's own MFA status")}
	}},
	{"POST /v1/iam/auth/sign-in/web/sign-in", "#28", walkPublic, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/auth/sign-in/web/sign-in", map[string]any{"userName": walkVic, "password": walkMalPassword}, s400)}
	}},
	{"POST /v1/iam/auth/social", "#29", walkPublic, walkSocial("/v1/iam/auth/social")},
	{"POST /v1/iam/auth/social/apple", "#30", walkPublic, func(w *walkWorld) []walkReq {
		form := url.Values{"id_token": {walkForgedIDToken()}, "user": {`{"email":"` + walkVic + `"}`}}
		r := walkPost("/v1/iam/auth/social/apple", form.Encode(), s401)
		r.header = []string{"Content-Type", "application/x-www-form-urlencoded"}
		return []walkReq{r}
	}},
	{"GET /v1/iam/token/app/validate", "#31", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkGet("/v1/iam/token/app/validate", s200, s401).self("validates the caller's own token").checked(walkMalEmail)}
	}},
	{"GET /v1/iam/token/firebase", "#32", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkGet("/v1/iam/token/firebase", s200, s400).self("a Firebase token of the caller (unconfigured here)")}
	}},
	{"GET /v1/iam/token/validate", "#33", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkGet("/v1/iam/token/validate", s200).self("validates the caller's own token").checked(walkMalEmail)}
	}},
	{"POST /v1/iam/users", "#34", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{
			walkPost("/v1/iam/users", map[string]any{"emailId": walkVic, "password": walkMalPassword}, s400),
			walkPost("/v1/iam/users", map[string]any{"emailId": "x34@example.com", "createUserInTenant": false}, s403),
		}
	}},
	{"DELETE /v1/iam/users/account", "#35", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkCall(http.MethodDelete, "/v1/iam/users/account?accountDeleteReason=walk&password="+walkVicPassword, nil, s400)}
	}},
	{"GET /v1/iam/users/adminEmailVerify/{email}", "#36", walkAdmin, func(w *walkWorld) []walkReq {
		return []walkReq{walkGet("/v1/iam/users/adminEmailVerify/"+walkVic, s403)}
	}},
	{"POST /v1/iam/users/adminSetPassword", "#37", walkAdmin, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/users/adminSetPassword", map[string]any{"userName": walkVic, "password": "Pwned-Horse-77"}, s403)}
	}},
	{"POST /v1/iam/users/app/switch-tenant", "#38", walkUser, walkSwitch("/v1/iam/users/app/switch-tenant")},
	{"POST /v1/iam/users/app/token", "#39", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/users/app/token", nil, s200).self("app tokens of the caller's own session and organization").checked(walkMalTokens)}
	}},
	{"POST /v1/iam/users/bulk-create", "#40", walkUser, func(w *walkWorld) []walkReq {
		// No tenantId: the rows join the caller's organization M. Rows
		// naming the victims must not pull them into M.
		return []walkReq{walkPost("/v1/iam/users/bulk-create", walkVictimRows(w), s200).
			self("answers 200 per request; the rows naming victims must fail").checked(walkBulkFailed)}
	}},
	{"POST /v1/iam/users/bulk-invite", "#41", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/users/bulk-invite", walkVictimRows(w), s200).
			self("invitations to the caller's own organization M, which the victims may ignore").checked(walkNoProfile)}
	}},
	{"POST /v1/iam/users/change-password", "#42", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/users/change-password", map[string]any{"oldPassword": walkVicPassword, "newPassword": "Pwned-Horse-77"}, s400)}
	}},
	{"POST /v1/iam/users/confirmotp", "#43", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/users/confirmotp", map[string]any{"userName": walkVic, "confirmationCode": w.vicVerifyCode, "isEmail": true}, s400, s404)}
	}},
	{"GET /v1/iam/users/disableMFAUserAccount/{email}", "#44", walkAdmin, func(w *walkWorld) []walkReq {
		return []walkReq{walkGet("/v1/iam/users/disableMFAUserAccount/"+walkVic, s403)}
	}},
	{"POST /v1/iam/users/emailchangeconfirmotp", "#45", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/users/emailchangeconfirmotp", map[string]any{
			"sessionID": w.vicChangeSession, "verificationCode": w.vicChangeCode, "newEmail": "vic.new@example.com",
		}, s400, s404).checked(walkMalUnchanged)}
	}},
	{"POST /v1/iam/users/emailchangeotp", "#46", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/users/emailchangeotp", map[string]any{"newEmail": walkVic, "password": walkMalPassword}, s400)}
	}},
	{"GET /v1/iam/users/generateverifycontactotp", "#47", walkUser, func(w *walkWorld) []walkReq {
		before := len(w.f.messages(walkVicPhone))
		return []walkReq{walkGet("/v1/iam/users/generateverifycontactotp?email="+url.QueryEscape(walkVicPhone), s400).checked(walkNoMessage(walkVicPhone, &before))}
	}},
	{"GET /v1/iam/users/generateverifyemailotp", "#48", walkUser, func(w *walkWorld) []walkReq {
		before := len(w.f.messages(walkVic))
		return []walkReq{walkGet("/v1/iam/users/generateverifyemailotp?email="+url.QueryEscape(walkVic), s400).checked(walkNoMessage(walkVic, &before))}
	}},
	{"GET /v1/iam/users/intercom-hash", "#49", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkGet("/v1/iam/users/intercom-hash", s200).self("the caller's own hash").checked(walkIntercom(directory.IntercomSecretAttribute))}
	}},
	{"GET /v1/iam/users/intercom-hash-android", "#50", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkGet("/v1/iam/users/intercom-hash-android", s200).self("the caller's own hash").checked(walkIntercom(directory.IntercomSecretAndroidAttribute))}
	}},
	{"GET /v1/iam/users/intercom-hash-ios", "#51", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkGet("/v1/iam/users/intercom-hash-ios", s200).self("the caller's own hash").checked(walkIntercom(directory.IntercomSecretIOSAttribute))}
	}},
	{"PUT /v1/iam/users/invite/{id}", "#52", walkUser, func(w *walkWorld) []walkReq {
		body := map[string]any{"firstName": "Pwned", "email": "pwned@example.com"}
		walkInvite(w, "vmem@example.com") // vmem has not accepted: M's admin has no say over him
		return []walkReq{
			walkCall(http.MethodPut, "/v1/iam/users/invite/"+strconv.FormatInt(w.vic.Num, 10), body, s403, s404),
			walkCall(http.MethodPut, "/v1/iam/users/invite/"+strconv.FormatInt(w.vmem.Num, 10), map[string]any{"firstName": "Pwned", "name": "Pwned Inc"}, s403, s404),
		}
	}},
	{"GET /v1/iam/users/otp", "#53", walkAdmin, func(w *walkWorld) []walkReq {
		return []walkReq{walkGet("/v1/iam/users/otp?userName="+url.QueryEscape(walkMobPhone), s403)}
	}},
	{"POST /v1/iam/users/otp", "#54", walkAdmin, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/users/otp", map[string]any{"userName": walkMobPhone}, s403)}
	}},
	{"POST /v1/iam/users/registered/contacts", "#55", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/users/registered/contacts", map[string]any{"emails": []string{walkVic}, "phones": []string{walkMobPhone}}, s200, s404).
			self("doc.go: any signed-in user asks which addresses belong to users of the realm (a contact-book lookup); see the walk's report")}
	}},
	{"POST /v1/iam/users/switch-client", "#56", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{
			walkPost("/v1/iam/users/switch-client", map[string]any{"refreshToken": w.malRefresh, "tenantId": w.v, "userName": walkMal, "appName": iamv1.DefaultApp}, s400),
			walkPost("/v1/iam/users/switch-client", map[string]any{"refreshToken": w.vicRefresh, "tenantId": w.v, "userName": walkVic, "appName": iamv1.DefaultApp}, s401),
		}
	}},
	{"POST /v1/iam/users/switch-tenant", "#57", walkUser, walkSwitch("/v1/iam/users/switch-tenant")},
	{"DELETE /v1/iam/users/tenant-reset", "#58", walkUser, func(w *walkWorld) []walkReq {
		// Only the token's organization (M) can be reset; the victim's password does nothing.
		return []walkReq{walkCall(http.MethodDelete, "/v1/iam/users/tenant-reset?password="+walkVicPassword, nil, s400)}
	}},
	{"DELETE /v1/iam/users/tenant/{id}", "#59", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkCall(http.MethodDelete, "/v1/iam/users/tenant/"+strconv.FormatInt(w.v, 10)+"?password="+walkMalPassword, nil, s403)}
	}},
	{"POST /v1/iam/users/tenants", "#60", walkUser, func(w *walkWorld) []walkReq {
		return walkAddPerson(w, "/v1/iam/users/tenants", func(body map[string]any) map[string]any { return body })
	}},
	{"POST /v1/iam/users/tenants/module-roles", "#61", walkUser, func(w *walkWorld) []walkReq {
		return walkAddPerson(w, "/v1/iam/users/tenants/module-roles", walkWithRoles)
	}},
	{"POST /v1/iam/users/tenants/roles", "#62", walkUser, func(w *walkWorld) []walkReq {
		return walkAddPerson(w, "/v1/iam/users/tenants/roles", walkWithRoles)
	}},
	{"GET /v1/iam/users/unLockUserAccount/{email}", "#63", walkAdmin, func(w *walkWorld) []walkReq {
		return []walkReq{walkGet("/v1/iam/users/unLockUserAccount/"+walkVic, s403)}
	}},
	{"GET /v1/iam/users/unlinkcontact", "#64", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkGet("/v1/iam/users/unlinkcontact", s200, s400).self("the caller's own contact number")}
	}},
	{"POST /v1/iam/users/web/switch-tenant", "#65", walkUser, walkSwitch("/v1/iam/users/web/switch-tenant")},
	{"GET /v1/iam/users/{id}", "#66", walkUser, func(w *walkWorld) []walkReq {
		walkInvite(w, "vmem@example.com")
		return []walkReq{walkGet(walkUserPath(w.vic.Num), s403, s404), walkGet(walkUserPath(w.vmem.Num), s403, s404), walkGet(walkUserPath(w.vmob.Num), s403, s404)}
	}},
	{"PUT /v1/iam/users/{id}", "#67", walkUser, func(w *walkWorld) []walkReq {
		walkInvite(w, "vmem@example.com")
		return []walkReq{
			walkCall(http.MethodPut, walkUserPath(w.vic.Num), map[string]any{"firstName": "Pwned", "email": "pwned@example.com"}, s403, s404),
			walkCall(http.MethodPut, walkUserPath(w.vmem.Num), map[string]any{"firstName": "Pwned"}, s403, s404),
		}
	}},
	{"PATCH /v1/iam/users/{id}", "#68", walkUser, func(w *walkWorld) []walkReq {
		walkInvite(w, walkMobPhone)
		return []walkReq{
			walkCall(http.MethodPatch, walkUserPath(w.vic.Num), map[string]any{"password": "Pwned-Horse-77"}, s403, s404),
			walkCall(http.MethodPatch, walkUserPath(w.vmob.Num), map[string]any{"firstName": "Pwned", "isBookkeeper": true}, s403, s404),
		}
	}},
	{"POST /v1/iam/users/email/delink", "#69", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/users/email/delink", nil, s400)}
	}},
	{"POST /v1/iam/users/email/link", "#70", walkUser, func(w *walkWorld) []walkReq {
		before := len(w.f.messages(walkVic))
		return []walkReq{walkPost("/v1/iam/users/email/link", map[string]any{"email": walkVic}, s400, s208).checked(walkNoMessage(walkVic, &before))}
	}},
	{"POST /v1/iam/users/email/merge", "#71", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/users/email/merge", map[string]any{"email": walkVic}, s200, s400).
			self("the document's merge: the code goes to the other account's own address; only its holder can finish")}
	}},
	{"POST /v1/iam/users/email/merge/process", "#72", walkUser, func(w *walkWorld) []walkReq {
		// Codes the victims hold for other purposes are no merge code.
		return []walkReq{
			walkPost("/v1/iam/users/email/merge/process", map[string]any{"email": walkVic, "otp": w.vicVerifyCode}, s400, s404),
			walkPost("/v1/iam/users/email/merge/process", map[string]any{"email": "vic.new@example.com", "otp": w.vicChangeCode}, s400, s404),
		}
	}},
	{"POST /v1/iam/users/email/regenerate", "#73", walkUser, func(w *walkWorld) []walkReq {
		before := len(w.f.messages("vmob@example.com"))
		return []walkReq{walkPost("/v1/iam/users/email/regenerate", nil, s400, s404).checked(walkNoMessage("vmob@example.com", &before))}
	}},
	{"POST /v1/iam/users/email/verify", "#74", walkUser, func(w *walkWorld) []walkReq {
		return []walkReq{walkPost("/v1/iam/users/email/verify", map[string]any{"confirmationCode": w.mobLinkCode, "password": walkMalPassword}, s400, s404).checked(walkMalUnchanged)}
	}},
	// Not in the document: iamd's description of this surface.
	{"GET /v1/iam/openapi.json", "-", walkPublic, func(w *walkWorld) []walkReq {
		return []walkReq{walkGet("/v1/iam/openapi.json", s200).self("the API's description, the same for everyone").
			checked(func(t *testing.T, w *walkWorld, r resp) {
				if strings.Contains(r.raw, walkVic) || strings.Contains(r.raw, walkMobPhone) {
					t.Errorf("LEAK: the OpenAPI document names a victim")
				}
			})}
	}},
}

// walkRefresh: the attacker's refresh token for tenantId V is refused;
// with tenantId 0 and the victim's userName it gives the attacker's own
// tokens; a made-up refresh token is 401.
func walkRefresh(kind string) func(w *walkWorld) []walkReq {
	path := "/v1/iam/auth/" + kind + "/getrefreshtoken"
	return func(w *walkWorld) []walkReq {
		return []walkReq{
			walkPost(path, map[string]any{"refreshToken": w.malRefresh, "tenantId": w.v, "userName": walkVic}, s400),
			walkPost(path, map[string]any{"refreshToken": "made-up", "tenantId": w.v, "userName": walkVic}, s401),
			walkPost(path, map[string]any{"refreshToken": w.malRefresh, "tenantId": 0, "userName": walkVic}, s200).
				self("userName is not whose tokens they are: the refresh token is").checked(walkMalTokens),
		}
	}
}

// walkSwitch: the attacker switching to V is 400 "You are not part of the
// requested organiation."; the victim's refresh token with the
// attacker's access token is 401.
func walkSwitch(path string) func(w *walkWorld) []walkReq {
	return func(w *walkWorld) []walkReq {
		return []walkReq{
			walkPost(path, map[string]any{"refreshToken": w.malRefresh, "tenantId": w.v, "userName": walkMal}, s400).
				checked(func(t *testing.T, w *walkWorld, r resp) {
					if r.str("message") != "You are not part of the requested organiation." {
						t.Errorf("%s: message %q", path, r.str("message"))
					}
				}),
			walkPost(path, map[string]any{"refreshToken": w.vicRefresh, "tenantId": w.v, "userName": walkVic}, s401),
		}
	}
}

// walkSocial: no upstream provider is configured, and a forged ID token
// naming the victim's e-mail signs no one in.
func walkSocial(path string) func(w *walkWorld) []walkReq {
	return func(w *walkWorld) []walkReq {
		return []walkReq{walkPost(path, map[string]any{"appName": "GOOGLE", "idToken": walkForgedIDToken(), "code": "made-up"}, s401)}
	}
}

// walkForgedIDToken is an unsigned JWT claiming the victim's verified e-mail.
func walkForgedIDToken() string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none"}`)) + "." +
		enc([]byte(`{"iss":"https://accounts.google.com","sub":"1","email":"`+walkVic+`","email_verified":true}`)) + "."
}

// walkAddPerson: #60–#62 aimed at V (as tenantId: the attacker joining V,
// adding a stranger, promoting a member) and at the victims in the
// attacker's own organization M: an invitation (allowed, but its answer
// must not disclose the invitee's account) and adding an existing account
// at once, without its holder's word (refused).
func walkAddPerson(w *walkWorld, path string, shape func(map[string]any) map[string]any) []walkReq {
	return []walkReq{
		walkPost(path, shape(map[string]any{"tenantId": w.v, "iamUserId": w.mal.Num, "roleGroup": "admin"}), s403),
		walkPost(path, shape(map[string]any{"tenantId": w.v, "emailId": "x60@example.com"}), s403),
		walkPost(path, shape(map[string]any{"tenantId": w.v, "iamUserId": w.vmem.Num, "roleGroup": "admin"}), s403),
		walkPost(path, shape(map[string]any{"emailId": "vmem@example.com", "inviteUser": true}), s200, s208).
			self("an invitation to the caller's own organization M, which the victim may ignore").checked(walkNoProfile),
		walkPost(path, shape(map[string]any{"iamUserId": w.vic.Num}), s400, s403, s404).checked(walkNoProfile),
	}
}

// walkWithRoles moves appName/roleGroup into appUserCreateRequestList.
func walkWithRoles(body map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range body {
		if k == "roleGroup" {
			out["appUserCreateRequestList"] = []map[string]any{{"appName": iamv1.DefaultApp, "roleGroup": v}}
			continue
		}
		out[k] = v
	}
	return out
}

// walkVictimRows are bulk rows naming the victims by e-mail and phone.
func walkVictimRows(w *walkWorld) []map[string]any {
	row := func(email, contact string) map[string]any {
		return map[string]any{"appName": iamv1.DefaultApp, "roleGroup": "user", "firstName": "Pwned", "lastName": "X", "email": email, "contact": contact}
	}
	return []map[string]any{row(walkVic, ""), row("", walkMobPhone), row("vmem@example.com", "")}
}

// walkBulkFailed checks that no row of #40 naming a victim succeeded:
// nobody joins an organization without saying so.
func walkBulkFailed(t *testing.T, w *walkWorld, r resp) {
	t.Helper()
	if s, _ := r.body["success"].([]any); len(s) != 0 {
		t.Errorf("LEAK: bulk-create added existing users (the victims) to the attacker's organization: %s", r.raw)
	}
	walkNoProfile(t, w, r)
}

// walkNoProfile checks that an answer carries none of the victims'
// stored details the attacker did not send: vic's last name and phone,
// vmem's first name, the victims' internal ids.
func walkNoProfile(t *testing.T, w *walkWorld, r resp) {
	t.Helper()
	var seen []string
	for _, v := range []string{`"Tim"`, walkVicPhone, `"Test"`, w.vic.ID, w.vmem.ID, w.vmob.ID} {
		if strings.Contains(r.raw, v) {
			seen = append(seen, v)
		}
	}
	if len(seen) > 0 {
		t.Errorf("LEAK: the answer discloses the victims' stored %s", strings.Join(seen, ", "))
	}
}

// walkInvite has the attacker invite login (an e-mail or phone) to his own organization M
// (#60 with inviteUser: a waiting membership, which the document allows).
func walkInvite(w *walkWorld, login string) {
	field := "emailId"
	if !strings.Contains(login, "@") {
		field = "contact"
	}
	r := w.f.post("/v1/iam/users/tenants", map[string]any{field: login, "inviteUser": true}, "x-access-token", w.malAccess)
	if r.status != s200 && r.status != s208 {
		w.f.t.Fatalf("inviting %s to M: %d %s", login, r.status, r.raw)
	}
}

// walkMalEmail checks a SocialAuthResponse is the caller's.
func walkMalEmail(t *testing.T, w *walkWorld, r resp) {
	t.Helper()
	if r.status == s200 && r.str("email") != walkMal {
		t.Errorf("LEAK: token validation answered %s", r.raw)
	}
}

// walkMalUnchanged checks the attacker did not get the victims' addresses.
func walkMalUnchanged(t *testing.T, w *walkWorld, r resp) {
	t.Helper()
	u := peopleUser(t, w.f, walkMal)
	if u.Email != walkMal {
		t.Errorf("LEAK: the attacker's e-mail became %s", u.Email)
	}
}
