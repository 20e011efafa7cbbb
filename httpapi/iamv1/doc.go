// Package iamv1 serves document 000 (spec/000_…, inventory in
// spec/ENDPOINTS.md Part A) at /v1/iam/..., paths exactly as written, for
// one realm (API.Realm, --iam-realm, default "default"). "tenantId" is an
// organization of that realm (its numeric id); "appName" an app.
//
// # Layout and conventions
//
// Handlers are thin: decode, check the input's shape in the document's
// field names, call one use case of authn, directory or the oidc token
// API, encode. One file per controller group, each with its own mountX
// (called from API.Mount) and its documented messages as constants:
//
//	api.go                 API, Mount, Setup, the served realm and app
//	auth.go                caller authentication (authenticate, authenticateAdmin), the access cookie
//	errors.go              THE error writer (writeError) and fail, opFailure, renameFields
//	request.go             decode, required, emailField, phoneField, textField, enumField, Long, FlexString
//	respond.go             writeText, responseEntity, userDto, authResult
//	models.go              the document's models, JSON names exactly
//	signup.go              sign-up-controller: #9, #10, #11
//	email_verification.go  email-verification-controller: #15, #16
//	signin.go              sign-in-controller: #20, #21, #22, #28
//	logout.go              logout-controller: #17, #18
//	tokens.go              the getrefreshtoken operations: #1, #3, #14
//
// Numbers are the rows of ENDPOINTS.md A.2. Operations not listed are not
// served yet (they answer the server's 404); no stubs are registered.
//
// # Errors
//
// The document shows no error body; its service is Spring, so every error
// is Spring Boot's default error object plus iamd's fields (ErrorBody):
//
//	{"timestamp":"…","status":400,"error":"Bad Request",
//	 "message":"User with same username is already exist.","path":"/v1/iam/auth/sign-up/web",
//	 "errorCode":"conflict","field":"…","detail":"…","requestId":"…"}
//
// message is the document's sentence for the operation and status where
// it has one (fail, opFailure), with detail saying exactly what went
// wrong; errorCode is the stable iam.Code. Bad input — a missing required
// field, a wrong JSON type, a malformed e-mail or phone, an unknown enum
// value, an overlong value, an oversized body — is 400 with field naming
// the document's field and a message saying what is expected; it changes
// nothing. A missing or invalid token is 401, a non-administrator on an
// admin operation 403. A 5xx shows only the request id. Responses the
// document types as "string" are plain text, as a Spring controller
// returning String writes them; "ResponseEntity" is {body, statusCode
// ("200 OK"), statusCodeValue}.
//
// # Callers and tokens
//
// A caller authenticates with a user access token of the served realm in
// the x-access-token header, as Authorization: Bearer, or in the cookie
// iam_access_token that web sign-in sets (HttpOnly, SameSite=Lax; ignored
// on requests the browser marks cross-site). authenticateAdmin also wants
// realm role admin, or accepts an administrator of realm master. Tokens
// come from the oidc package's session API, so they are the realm's
// OpenID Connect tokens (issuer …/realms/<realm>): they work at its
// userinfo and introspection endpoints, and refresh tokens rotate with
// the same grace window and replay protection. They are issued for the
// app API.App (default "iam-web"), a public app with the refresh_token
// grant that Setup (at server start) or the first request registers when
// the realm lacks it. An organization a user signs up with is
// administered by them: their membership holds role iam.OrgAdmin for that
// app.
//
// # Decisions for the operations served
//
//   - Web sign-up: emailId (the username) and password are required,
//     contact optional; shouldSendEmail false sends no verification link;
//     isEmailVerified is ignored (an anonymous caller cannot vouch for an
//     address); source is stored (default WEB); the plan, bookkeeper,
//     partner, team and website flags are accepted and ignored. An
//     organization name another organization has is stored with a short
//     suffix, its display name as given. 201 with the UserDto (tenantId,
//     appName, roleGroup of the new organization).
//   - Mobile sign-up: contact is required and is the username; no
//     password, nothing sent; sign-in is by SMS code.
//   - The verification link is GET /v1/iam/auth/email/verification
//     ?user=<numeric id>&token=…, valid 24 hours, once; regenerate sends a
//     new one (earlier ones stay valid until they expire).
//   - Web sign-in: a user with an authenticator app gets
//     {"mfaenabled":true} and no tokens. inviteCode is not acted on yet.
//     Wrong credentials, a locked or disabled account are 400 with the
//     document's message (errorCode tells them apart); 404 is not used, as
//     it would tell which logins exist.
//   - Mobile sign-in answers the session as text; the code is 6 digits by
//     SMS, with the realm's OTP failure limit as attempts; an unknown
//     number is 404 (check-user tells that anyway).
//   - getrefreshtoken: tenantId 0 keeps the session's organization; an
//     unknown tenantId reads as one the user is not in (400); a bad
//     refresh token is 401; all three paths refresh tokens of API.App.
//   - logout and logout2 are the same: the session ends, 200 empty.
package iamv1
