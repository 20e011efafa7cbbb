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
//	contacts.go            e-mail change and contact verification: #43, #45, #46, #47, #48, #64
//	emaillink.go           e-mail linking for mobile users: #69, #70, #73, #74
//	merge.go               account merge: #71, #72
//	userotp.go             administrators' user codes: #53, #54
//	users.go               user records: #34, #66, #67, #68
//	accounts.go            accounts: #6, #35, #36, #55, #63
//	tenants_admin.go       organization reset and deletion: #58, #59
//	tokens_switch.go       switch tenant/client, app token, token validation: #31, #33, #38, #39, #56, #57, #65
//	integrations.go        Intercom hashes and the Firebase custom token: #32, #49, #50, #51
//	social.go              social sign-in: #19, #29, #30
//	mfa.go                 MFA (TOTP): #23, #24, #25, #26, #27, #44
//	passwords.go           forgotten, changed and administrator-set passwords: #4, #5, #37, #42
//	tenants.go             adding people to organizations: #60, #61, #62 (mountPeople mounts the next two too)
//	invites.go             invitations by code: #2, #7, #8, #12, #13, #52
//	bulk.go                bulk create and invite: #40, #41
//	openapi.go             GET /v1/iam/openapi.json: the OpenAPI 3.1 document, built from
//	openapi_ops.go           the table of operations (held equal to the routes Mount registers)
//	openapi_schema.go        and JSON Schemas reflected from the Go models
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
//
// # Tokens, switching and integrations (#31–#33, #38, #39, #49–#51, #56, #57, #65)
//
//   - switch-tenant, app/switch-tenant and web/switch-tenant are one
//     operation (web also sets the AccessCookie): the caller's access token
//     and the body's refreshToken, which must be a live refresh token of
//     the same session (401 otherwise: an access token alone cannot mint a
//     long-lived refresh token), give new tokens of that session for
//     organization tenantId (0: the access token's) and the caller's app.
//     The body's refresh token is not used up; the session's earlier
//     refresh tokens speak for the new organization when refreshed and keep
//     their rotation rules; the new refresh token starts a new family.
//     Unknown, deleted or not-a-member organizations are 400 "You are not
//     part of the requested organiation." (field tenantId). userName is
//     required as documented but the tokens say who the user is;
//     skipTenantCall is ignored.
//   - switch-client takes the same body plus iamd's appName (or clientId):
//     the app by client id or unique display name. The user may have its
//     tokens when it is one of the surface's own apps (API.App, the
//     app-token app) or the membership in tenantId holds a role for it;
//     otherwise 403 (field appName). Unknown app 404; disabled app 400.
//     switch-tenant applies the same rule to the caller's app.
//   - users/app/token ("user token to app token") needs no body: new
//     tokens of the caller's session and organization for the app-token
//     app, the client id in realm attribute iam_app_token_client, or
//     "iam-app" (registered on first use like API.App). An unknown
//     configured app is 404, an organization the user left 400, both
//     "Failed to authenticate user credentials.".
//   - token/validate accepts any live user access token of the realm (any
//     app); token/app/validate only one issued to the app-token app. Both
//     answer SocialAuthResponse with the presented token, the user's e-mail
//     and names and existingUser true (no refresh or ID token: a
//     validation cannot recover them); every refusal is 401 "Invalid
//     token!" with the reason as detail.
//   - intercom-hash (-android, -ios) is the lower-case hex HMAC-SHA256 of
//     the user's numeric id (UserDto id, what the client hands Intercom as
//     user_id) with realm attribute intercom_secret (_android, _ios).
//     Unset: 400 "Could not generate hash." naming the attribute.
//   - token/firebase answers, as text, a Firebase custom token: RS256 JWT
//     (typ JWT, no kid, as the Firebase Admin SDKs write it) signed with
//     the private_key of the service-account key file JSON in realm
//     attribute firebase_service_account; iss = sub = client_email, aud the
//     Identity Toolkit audience, iat, exp = iat + 1h, uid the numeric user
//     id. A bad token is 401 "Invalid access token"; a missing or unusable
//     key file 400 "Could not generate firebase token." (iamd's message).
//   - The document's 500 messages ("Could not switch tenant/client. Please
//     try again.") are not used: a 5xx shows only the request id.
//   - These secrets sit in realm attributes as the administrator set them
//     (not sealed with the master key, unlike SMTP passwords).
//
// # Social sign-in (#19, #29, #30)
//
//   - The upstream providers are the realm's settings.social_providers
//     (iam.SocialProvider): OpenID Connect ones by issuer (discovery, JWKS,
//     token and userinfo endpoints as published: Google, Apple, Microsoft
//     with a tenant's issuer, Keycloak, another iamd) and plain OAuth 2.0
//     ones by token URL and userinfo URL (Facebook, LinkedIn…). appName
//     names the provider, case-insensitively: one of the document's values,
//     or any name the realm configures (e.g. KEYCLOAK); another value is
//     400 (field appName), a documented value the realm lacks is 401.
//   - The client sends code, the authorization code it got from the
//     provider, with redirectUrl, the base64 of the redirect_uri it used
//     (a plain URL is accepted too; absent: the provider's configured
//     redirect_url). iamd exchanges it with the realm's client secret. As
//     iamd's addition, idToken instead carries an ID token a native SDK
//     got itself (an OpenID provider only): its audience must be the
//     client id or one of the provider's further audiences, and it is
//     accepted until it expires (no nonce: iamd did not start the
//     authorization). state (the
//     client checks it) and realmId (QuickBooks' company id) are ignored;
//     firstName and lastName name a user created now when the provider
//     gives no names.
//   - The user is the one the identity (provider, subject) is linked to;
//     else the one with the provider's e-mail, linked now only when the
//     provider says the address is verified and the account has verified
//     it too; else a new user (username the e-mail, else
//     <provider>_<subject>; e-mail verified as the provider says; no
//     password; source WEB_/MOBILE_ + GOOGLE, APPLE or OTHER; no
//     organization). 200 with existingUser false for a new user, true
//     otherwise (never 201: the document's 201 is Swagger's default).
//   - Every refusal is 401 "User is not authorized!" with the reason as
//     detail: an unknown or disabled provider, a code or token the provider
//     or its keys refuse (used, foreign, expired, forged, another client's,
//     another redirect_uri), an e-mail that may not be linked, a disabled
//     or locked account. A provider that cannot be reached is 503.
//   - Tokens are the realm's (app API.App, amr ["fed"]); the web (#29) and
//     Apple (#30) operations also set the AccessCookie, mobile (#19) not.
//   - Apple (#30) is the realm's provider APPLE, an OpenID provider with
//     issuer https://appleid.apple.com: Apple's form_post (urlencoded or
//     multipart) with id_token, or else code, exchanged with the provider's
//     redirect_url (this endpoint's URL) and its client secret — for Apple
//     the client-secret JWT, which iamd does not mint from the .p8 key.
//     user, Apple's JSON sent on the first authorization only, names a user
//     created now. The answer is the SocialAuthResponse JSON.
//
// # User records and accounts (#6, #34–#36, #55, #58, #59, #63, #66–#68)
//
//   - {id} in users/{id} is the user's numeric id (UserDto id), in
//     tenant/{id} the organization's (tenantId); a value that is not a
//     positive number is 400 naming id.
//   - Who acts on a user record (users/{id}): the user; an administrator
//     (role admin, active membership) of an organization the user is an
//     ACTIVE member of, or of the organization that made the account
//     (#60–#62, #40 for someone who had none; user attribute
//     createdForOrganization) while the person has not taken it over
//     (userNotUpdated still true); a realm administrator (realm role
//     admin) or a server administrator. A waiting invitation of an
//     account that existed before gives no rights: the person has not
//     said yes (directory.AccessUser). Anyone else in the realm is 403, a
//     token of another realm 401, an unknown id 404 "User does not
//     exist." (400 for PUT, as documented).
//   - GET users/{id}: appUserRoleXrefs are the roles of the user's active
//     memberships the caller may see (the user and realm administrators
//     all of them, an organization administrator those of the
//     organizations they administer), tenantId the caller's current
//     organization when the user is a member of it; address the user's
//     addresses; isMFAEnabled whether an authenticator app is set up;
//     userNotUpdated the attribute PATCH sets.
//   - PUT users/{id} takes a UserDto and changes the fields present:
//     firstName, lastName, email, contact, department, designation,
//     genderLookUpCode, profileUrl (an http(s) URL). Absent or null fields
//     stay; "" empties a profile field, while an empty email or contact is
//     ignored (removing an address is unlinkcontact's and de-link's job).
//     id, when given, must be the path's; appName, roleGroup, tenantId,
//     userName, status, deleted, emailVerified, source and the rest are
//     read-only and ignored. 200 with the UserDto (tenantId, appName and
//     roleGroup of the caller's current organization when the user is in
//     it).
//   - PATCH users/{id} (UserAttributeUpdateRequest) changes the fields
//     present the same way; isBookkeeper and userNotUpdated are kept as
//     user attributes; designation is the profile's. 200 with the UserDto
//     (not 204).
//   - E-mail and contact are sign-in identifiers: only the user or a realm
//     administrator changes them here (an organization's administrator
//     could otherwise take over a member who also belongs to other
//     organizations via a password reset); a changed one becomes
//     unverified. PATCH's password is a realm administrator's reset
//     (policy, history, every session of the user ends); anyone else is
//     403: users change theirs with change-password and the old one. A
//     taken e-mail or phone is 400 "User with same username is already
//     exist.".
//   - POST users: the caller administers their current organization (the
//     token's), which the new user joins with appName (default API.App)
//     and roleGroup (default "user"); or is a realm or server
//     administrator. Only a realm administrator may create a user outside
//     an organization (createUserInTenant false, or no current
//     organization) and have isEmailVerified honoured; an organization
//     administrator asking for either is 403 (createUserInTenant false) or
//     ignored (isEmailVerified). emailId or contact is required (the
//     username is the e-mail, else the phone in E.164), password optional;
//     organizationName also creates that organization, administered by the
//     new user. A verification link goes to the e-mail unless
//     shouldSendEmail is false or the address is vouched for. 201 with the
//     UserDto (the joined organization, else the new one). The
//     bookkeeper, plan, team, website, go, socialAuth and iamUserId fields
//     are accepted and ignored.
//   - sign-up/affiliate: a web sign-up without an organization; emailId
//     required, password optional (forgot-password sets one later),
//     isEmailVerified ignored, the user marked with attribute
//     affiliate=true. 201 with the UserDto.
//   - DELETE users/account: accountDeleteReason (at most 255 characters)
//     is required; password too, unless isSocialLogin=true and the account
//     has no password (a user with one must give it, so that a stolen
//     token alone cannot delete the account). The user is soft-deleted
//     with the reason (username, e-mail and phone free again), every
//     session and refresh token ends in the same transaction, the cookie is
//     cleared: 204. A wrong password (which counts toward the lockout) or a
//     locked account is 400 "Unable to delete user account". Memberships
//     stay recorded but give nothing to a deleted user.
//   - adminEmailVerify/{email} and unLockUserAccount/{email} are admin
//     operations (realm or server administrator). The address matches
//     exactly, case-insensitively (not "containing": an admin action must
//     not hit several users); unlock also takes a username or phone. 200
//     with the text "User found by email"; 404 "Not Found" for no user.
//   - registered/contacts: any signed-in user asks which of emails and
//     phones (numbers without + read in the realm's phone region) belong
//     to live users of the served realm; each user once, in the order
//     given. Entries that are no address or number are skipped (an address
//     book holds such), at most 500 entries in all (400 naming the field);
//     both lists missing is 400; no match is 404 "Registered user list not
//     found".
//   - tenant-reset resets the caller's current organization: with the
//     caller's password, an administrator of it removes every other member
//     and revokes every pending invitation; the organization (id, name,
//     attributes) and the caller's membership stay. tenant/{id} with the
//     password soft-deletes organization {id} (its memberships end, its
//     invitations are revoked; no token is issued for it again). Both
//     answer 200 with SignUpResponse {tenantId, tenantName (display name),
//     userId} and no tokens. A wrong password (counted toward the lockout),
//     a locked account or no current organization is 400 with the
//     document's message; a caller who does not administer the
//     organization, or an unknown one, 403; the password is required (400
//     naming it). Removed members' access tokens already issued for that
//     organization live until they expire (minutes); they get no new ones.
//
// # E-mail and contact changes, linking and merging (#43, #45–#48, #53, #54, #64, #69–#74)
//
//   - All are the signed-in caller's own, except #53/#54 (realm
//     administrators). Codes are 6 digits, live the realm's code lifetime
//     (10 minutes by default), allow the realm's OTP failure limit of
//     tries, and a wrong one also counts toward the caller's lockout; the
//     error's detail says "the code is wrong; attempts left: N", its
//     retriesLeft is N and field names the code field. Where the document's request has no session
//     (#43, #74, #72), the code is found by the caller and address: only
//     the newest code asked for counts.
//   - emailchangeotp (#46) needs the caller's current password (none, or
//     a wrong one: 400 "bad request", field password; it counts toward the
//     lockout) and a newEmail no one else has; the code goes to newEmail;
//     the answer is the session and otpExpiryDurationSeconds (a string, as
//     typed). emailchangeconfirmotp (#45) takes that session, the code and
//     the same newEmail: the e-mail changes, verified; a username that was
//     the old address becomes the new one (the old address signs no one in
//     any more). Unknown session, or another user's or address: 404 "Not
//     Found"; wrong, used or expired code: 400 "bad request" (errorCode
//     tells expired). 200 ResponseEntity.
//   - generateverifyemailotp (#48) sends a code to the caller's e-mail;
//     its email parameter must be that address. generateverifycontactotp
//     (#47) sends it by SMS to the caller's contact number; its parameter,
//     named email by the document, must name the caller (e-mail, username
//     or contact). Another person's address, none on the account, or one
//     already verified: 400 with the operation's message. confirmotp (#43)
//     takes userName (that address) and the code; isEmail says which kind,
//     and when absent an "@" does; password is ignored. No code sent to
//     it: 404; a wrong one 400; both "user failed to confirm
//     email/contact". 200 OtpResponse without retriesLeft.
//   - unlinkcontact (#64) and e-mail de-link (#69) remove the caller's
//     contact number or e-mail only when the other one is there and
//     verified, so that the caller can still sign in and recover the
//     account (400 otherwise, and when there is nothing to remove); a
//     username that was the removed value becomes the remaining one.
//   - E-mail link (#70): body the address as a JSON string, {"email": …},
//     or text/plain. A code goes to the address, which is stored only when
//     verified (so that an unproven address blocks no one). 208 "User
//     email is already linked." when the caller already has a verified
//     e-mail (de-link first). An address another account has is 400: that
//     is what merging is for. email/verify (#74) takes the code and the
//     password to sign in with: the caller's current one if they have one
//     (wrong: 400 "Email has not been linked successfully."), else it
//     becomes their first password (policy enforced; 400 naming password).
//     No link asked, wrong or used code: 404 "Provided confirmation code
//     information is invalid"; expired: 410. email/regenerate (#73) sends a
//     new code for the newest link asked (none: 404) and answers, as the
//     document does, the de-link texts; 400 when the caller already has a
//     verified e-mail.
//   - email/merge (#71) names the other account by email and/or contact
//     (either is enough; the caller's own values, which a client may send
//     along, are ignored; two different accounts: 400). The code goes to
//     its e-mail when email names it, else by SMS to its number; the answer
//     is text. Unknown account: 404. A disabled account, or one with an
//     authenticator app (a code to its e-mail must not bypass its second
//     factor), is not merged: 400. email/merge/process (#72) repeats the
//     names and gives otp; in one transaction the other account's
//     memberships (roles united where both are members), realm and app
//     roles, groups, social links, and its password when the caller has
//     none move to the caller; its e-mail and contact too where the caller
//     lacks them, or always with makePrimary (a username that was a
//     replaced value follows); the proven address arrives verified. The
//     other account is soft-deleted (reason "merged": it signs in no more,
//     its identifiers are free) and its sessions and refresh tokens are
//     revoked. The answer is new tokens of the caller's session (new
//     refresh family), carrying the merged memberships; unless isMobile the
//     access cookie is set. No merge started, or names of another account
//     than the code's: 404 "Not Found"; wrong or expired code: 400
//     "Accounts could not be merged.".
//   - users/otp is support tooling for realm administrators (others 403).
//     POST (#54; body the username, e-mail or contact as a JSON string,
//     {"userName": …} or text/plain) makes a mobile sign-in code for that
//     user, sends it to their phone as sign-in/mobile does, and returns it
//     once in otp, with session, contact, otpType LOGIN and expiry
//     (RFC 3339): the three work at sign-in/mobile/verify. A newer one
//     replaces the older. An unknown user, one without a contact number,
//     or a disabled one is 401 "Invalid user name user otp." as
//     documented. GET (#53) shows that code while it is valid — session,
//     contact, otpType, expiry, never otp (codes are stored only as keyed
//     hashes) — and 404 "Invalid user name user otp." when there is none,
//     for an unknown user, or without userName. Both answers are
//     Cache-Control: no-store; 200, as documented.
//
// # MFA and passwords (#4, #5, #23–#27, #37, #42, #44)
//
//   - POST sign-in/web/mfa (#23) makes a new authenticator key each call
//     (TOTP, SHA-1, 6 digits, 30 s; issuer the realm's display name, else
//     its name; account the username): key is the base32 secret to type
//     in, qrCodeBytes the base64 of a 256×256 PNG QR code of the
//     otpauth://totp/… URI. The key waits 30 minutes for mfa-enable; a
//     newer one replaces it. With MFA already on the answer is
//     {"enableStatus":true} without a key: the key in use is never shown
//     again (disable MFA first to move to another phone).
//   - mfa-enable (#25): mfaCode (a JSON number is read too) is a current
//     code of the newest key; mfaType is the form of the 10 recovery codes
//     returned: EIGHT_DIGIT (default), SIX_DIGIT, or ALPHA_NUMERIC (10
//     characters of A–Z and 2–9 without look-alikes). They are shown this
//     once and stored as keyed hashes. A wrong code is 400 "Failed to
//     enable MFA" with retriesLeft (the key allows the realm's OTP failure
//     limit of tries) and counts toward the lockout; no key asked for, an
//     expired or used one, or MFA already on: 400. The accepted code is
//     spent: it does not also sign in.
//   - mfa-signin (#26): userName, password and mfaCode — a current
//     authenticator code (each accepted once) or an unused recovery code
//     (spent on use; case, spaces and hyphens ignored). Tokens as web
//     sign-in gives them (cookie unless isMobile), mfaenabled true, amr
//     pwd + otp, or pwd + mfa for a recovery code. A wrong password, a
//     wrong or used code, no MFA, a locked account: 400 "Failed to
//     authenticate using MFA" (errorCode tells them apart). Wrong codes
//     count toward the OTP lockout, and a correct password no longer
//     resets that count. inviteCode is not acted on.
//   - mfa-status (#27) is {"enableStatus": …}. DELETE sign-in/web/mfa
//     (#24) takes {"password"}: a wrong one is 400 "Failed to disable MFA"
//     (counted toward the lockout); the key and the recovery codes go;
//     MFA already off is success; 200 {"enableStatus":false}. Sessions
//     stay.
//   - disableMFAUserAccount/{email} (#44) is for realm or server
//     administrators; the address matches exactly, ignoring case (not
//     "containing"). 200 with the text "MFA disabled for email" (also when
//     it was off); unknown address 404 "Not Found".
//   - password/forgot (#5): a userName with "@" is an e-mail address and
//     the code goes there; a phone number (without + read in the realm's
//     phone region; a JSON number is read too) gets it by SMS; a username
//     sends it to the user's e-mail, else phone. 6 digits, the realm's
//     code lifetime, the realm's OTP failure limit of tries; a newer code
//     replaces an older one. The answer is the text "Confirmation code has
//     been sent successfully.". Unknown user 404; a disabled or locked
//     one, or one without e-mail and phone, 400.
//   - password/confirm (#4): userName as forgot reads it,
//     confirmationCode, password. The policy and history are checked
//     before the code (400 naming password; the code is not spent). A
//     wrong code is 400 "User's new password request failed." with
//     retriesLeft; the last allowed failure locks the account (errorCode
//     locked, retriesLeft 0); a used or expired code 400; an unknown user,
//     or no code asked for, 404. 200 OtpResponse {message, retriesLeft:
//     the tries the code had left}. Every session and refresh token of the
//     user is revoked; the address the code went to counts as verified.
//   - users/change-password (#42): a wrong oldPassword is 400 naming it
//     (counted toward the lockout; not 401, which clients take for an
//     expired token), a new password the policy refuses 400 naming
//     newPassword. The caller's session stays signed in; the user's other
//     sessions end. 200 with the text "Password changed successfully.".
//   - adminSetPassword (#37) is for realm or server administrators:
//     userName as forgot reads it, password (policy and history apply);
//     confirmationCode is accepted and ignored, the token authorizes the
//     change. Every session and refresh token of the user ends. 200
//     OtpResponse {message}; unknown user 404 with the document's message.
//   - Any error about a one-time code that was tried (a wrong code, one
//     out of tries, a locked account) carries retriesLeft in the error
//     body.
//
// # Organization membership and invitations (#2, #7, #8, #12, #13, #40, #41, #52, #60–#62)
//
//   - Who may add or invite: an administrator of the organization (an
//     active membership holding role "admin", iam.OrgAdmin, for any app)
//     or a realm or server administrator (directory.AdministeredOrganization).
//     A plain member, and an administrator of another organization, is 403
//     "Forbidden" — also for an organization that does not exist, so the
//     answer does not tell which exist; only a realm administrator gets 404
//     "Tenant not found" for an unknown tenantId. A token of another realm
//     is 401.
//   - The organization is tenantId when given (#60–#62), else the caller's
//     current one (the token's); #12, #40 and #41 have no tenantId and
//     always use the current one. No organization at all is 404 with the
//     operation's message (a server administrator must give tenantId).
//   - users/tenants (#60) and users/tenants/roles, /module-roles (#61, #62)
//     find the person by iamUserId (the numeric id), else emailId, else
//     contact. Roles: appName + roleGroup (#60) or appUserCreateRequestList
//     (#61, #62; moduleUuids are accepted and not kept); appName defaults
//     to API.App and roleGroup to "user"; appName must be an app of the
//     realm (client id or name), else 400 naming appName /
//     appUserCreateRequestList. An active member gets 208 "User with same
//     tenant already exists!" with their UserDto and nothing changes,
//     their roles included (it reveals only membership of the caller's own
//     organization). Otherwise 200 (the document's 200, not 201).
//   - Nobody joins an organization without saying so: an organization
//     administrator who is not a realm administrator only INVITES an
//     existing account, with or without inviteUser — the membership waits
//     (inactive: no tokens for the organization, no rights over the
//     person) until the person accepts the invitation code sent to the
//     account's own address (#8 with their password); a waiting member
//     named again gets a new code. The answer then carries only what the
//     caller sent: email/contact as given, userName (the e-mail, else the
//     phone), tenantId, appName, roleGroup, status "invited", id 0, empty
//     authUserId and names — nothing stored of the account. Such an
//     administrator's iamUserId names only someone they already act on
//     through the organization (an active member, or an account it made
//     that is still waiting); anyone else, an unknown id included, is 403
//     "Forbidden", so walking the ids reveals and adds nobody. A realm
//     administrator adds an existing account at once (the UserDto), and
//     their unknown iamUserId is 400 naming it.
//   - A person without an account gets one (username the e-mail, else the
//     phone; attributes userNotUpdated=true and createdForOrganization,
//     the organization's id) and the UserDto of it (tenantId, appName and
//     roleGroup of the membership): without inviteUser the membership is
//     active at once and, unless password is given, an invitation code
//     lets them set theirs with sign-up/employee/invite; with inviteUser
//     the membership waits until they accept the code. Taking the account
//     over (#8) removes both attributes.
//   - A new account's taken e-mail or phone is 400 "User tenant mapping
//     creation failed". Everything of
//     one request (account, membership, invitation, message) commits
//     together or not at all. shouldSendEmail, isEmailVerified, the plan,
//     bookkeeper, partner, team, website, go, socialAuth, inviteCode,
//     peoplePlus and organizationName fields are accepted and ignored.
//   - bulk-create (#40) and bulk-invite (#41) take up to 500
//     InviteBulkUserRequest rows for the caller's current organization;
//     appName, roleGroup, firstName and lastName are required per row and
//     one of email, contact or username (an existing user's login). A
//     malformed row refuses the whole request (400 naming
//     inviteBulkUserRequests[i].field, nothing changes). Otherwise each row
//     is its own transaction, as #60 without (#40) or with (#41)
//     inviteUser: a failed row leaves nothing behind and does not stop the
//     others; a row repeating an earlier one (same e-mail, phone or
//     username) fails. #40 answers BulkAddUserResponse: success and
//     failure rows in request order, a failure with message saying why
//     (an existing member: "User with same tenant already exists!"). A
//     #40 row naming an existing account that is not a member is, for an
//     organization administrator, invited as in #60 and listed under
//     failure, echoing the row, with tenantId and iamd's message "User
//     already has an account; an invite code has been sent." (it was not
//     created nor added). #41 answers [UserDto], one per row in request
//     order (an existing account's shows only what the row sent, as #60);
//     a failed row has status "failed" and a message, an existing member
//     the 208 message.
//   - The invite code is the invitation's token (32 random bytes,
//     base64url; stored only hashed), sent by e-mail when the invitation
//     has an address, else by SMS, through the outbox in the transaction
//     that creates the invitation. The "code" of books/invite/status, the
//     verificationCode of verify-invite and the inviteCode of the sign-ups
//     are that token. It is valid 7 days (realm attribute invitation_ttl)
//     and is accepted once (of racing requests exactly one wins).
//   - auth/user/invite (#12): an administrator of the current organization
//     invites email (else phone), with role "user" of API.App; at least
//     one is required (the document marks both). Someone already an active
//     member is 400 "Failed to initiate invite.". No account is made. 200
//     {"message":"Invite code has been sent.","session":<invitation
//     id>,"expiresIn":<seconds>}.
//   - verify-invite (#13) needs no token: session (#12's), the code and the
//     invited email or phone (each one given must be the invitation's).
//     It does not use the code up. 200 with the UserDto of the person in
//     the organization: their account when one has the invited address,
//     else only the address (id 0, status "invited"). A wrong code,
//     session or address is 404, a used, revoked or expired code 400, both
//     "Failed to Verify invite code.".
//   - books/invite/status (#2) needs no token: appInviteStatus is PENDING,
//     ACCEPTED, REVOKED or EXPIRED, inviteCode the code asked about; an
//     unknown code is 404 "Not Found".
//   - sign-up/books/invite (#7) creates an account (email, else contact;
//     both empty: the invited address) with password (required, the
//     realm's policy), accepts the invitation and signs in to its
//     organization: 201 with the tokens. A taken address is 400 "User
//     with same username is already exist." and the code stays usable.
//   - sign-up/employee/invite (#8) is for the invited address's account:
//     one an administrator made without a password gets this password; one
//     with a password must give it (a wrong one is 401 and counts toward
//     lockout); either way the invitation is accepted and the account
//     signed in to the organization: 200 with the tokens. Without an
//     account it is #7 (201). The invited address becomes verified (the
//     code proves it); names given replace the stored ones.
//   - For #7 and #8 an unknown, used, revoked or expired code is 404 "Not
//     Found" (errorCode not_found, failed_precondition or expired tells
//     them apart); nothing is created.
//   - users/invite/{id} (#52): {id} is the invited user's numeric id (the
//     UserDto id #60 answered), not an invitation. Callers as for
//     users/{id}: the user, an administrator of an organization the user
//     is an active member of or of the one that made the account (still
//     waiting, not yet taken over — the employee #60 created with
//     inviteUser), a realm administrator; inviting an account that
//     existed before gives no rights over it. firstName, lastName, title (the profile's
//     designation) and the company details name, industry, noOfEmployees,
//     currency, countryCode (user attributes company.<field>) change for
//     all of them; email and contact/phone (the same number, if both)
//     only for the user and realm administrators — sending the stored
//     value back is no change — and password only for a realm
//     administrator (403 otherwise). 200 with the stored values in the
//     request's shape, never the password; an unknown user is 404 "Failed
//     to Update invited user.", a taken e-mail or phone 400 "Failed to
//     Update invited user".
//
// # The OpenAPI document (GET /v1/iam/openapi.json)
//
//   - OpenAPI 3.1, generated at Mount from apiOps (openapi_ops.go: A.2
//     row, route, operationId, controller tag, summary, who may call it,
//     parameters, request model, success statuses with their models,
//     documented errors with the document's messages) and JSON Schemas
//     reflected from the Go models (components/schemas under the Go name,
//     which is the document's model name). A test fails when apiOps and
//     the registered routes differ, and the test fixture checks every
//     answer of every test against the document.
//   - Statuses are the ones iamd answers: Swagger's boilerplate "201
//     Created" rows are left out where iamd answers 200 (and 200 rows where
//     it answers 201). Each operation also lists the errors every one may
//     give: 400 for bad input where it takes any, 401 where a token is
//     needed, 403 for administrators' operations, 429, 500 and 503; every
//     error is ErrorBody.
//   - Answer models: a field without omitempty is required; arrays are
//     never null. Request models: required are the fields the handler
//     refuses to go without; a pointer field may be null; Long is an
//     integer or a string of digits, FlexString a string or a number, as
//     Jackson reads them. Unknown request fields are allowed (ignored).
//   - Security: the access token as x-access-token, Authorization: Bearer
//     or the iam_access_token cookie; public operations say security [].
//   - Served without a token, Cache-Control: public, max-age=3600, with an
//     ETag (If-None-Match gives 304). servers is API.PublicURL.
package iamv1
