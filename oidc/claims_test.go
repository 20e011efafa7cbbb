package oidc_test

import (
	"context"
	"testing"
	"time"

	"iamd/directory"
	"iamd/iam"
)

// Access tokens carry realm and app roles (keyed by client id) and the
// session's organization; an app may pick RS256 access tokens, ES256 ID
// tokens and its own lifetimes.
func TestTokenClaimsRolesOrganizationAndAppSettings(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		sc := f.Store.Realm(f.Realm.ID)
		u := f.user(f.Realm, "alice", "Correct-Horse-9", "staff")
		billing, _ := f.tokApp(f.Realm, "billing", iam.GrantAuthorizationCode)
		f.app(f.Realm, directory.NewApp{
			ClientID: "web", Secret: "web-secret-123", GrantTypes: []string{iam.GrantPassword, iam.GrantRefreshToken},
			AccessTTL: time.Minute, RefreshTTL: 2 * time.Minute,
			Attributes: map[string]string{"access_token_alg": "RS256", "id_token_alg": "ES256"},
		})
		now := f.now()
		role := &iam.Role{ID: iam.NewID(), AppID: billing.ID, Name: "editor", CreatedAt: now}
		org := &iam.Organization{ID: iam.NewID(), Name: "acme-gmbh", CreatedAt: now, UpdatedAt: now}
		for _, err := range []error{
			sc.Roles().Create(ctx, role), sc.Roles().Grant(ctx, u.ID, role.ID), sc.Organizations().Create(ctx, org),
		} {
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := sc.Organizations().PutMember(ctx, &iam.Membership{OrgID: org.ID, UserID: u.ID, Status: "active", CreatedAt: now, UpdatedAt: now}); err != nil {
			t.Fatal(err)
		}

		tok := f.tokPassword(f.Realm, "web", "web-secret-123", "alice", "Correct-Horse-9", "openid")
		at := tokClaims(t, tok.str("access_token"))
		ra, _ := at["resource_access"].(map[string]any)["billing"].(map[string]any)
		if roles, _ := ra["roles"].([]any); len(roles) != 1 || roles[0] != "editor" {
			t.Fatalf("resource_access: %v", at["resource_access"])
		}
		if at["org_id"] != org.ID || at["org_num"].(float64) != float64(org.Num) || at["aud"] != "web" || at["jti"] == "" || at["iss"] != f.issuer(f.Realm) {
			t.Fatalf("access token claims: %v", at)
		}
		if at["exp"].(float64)-at["iat"].(float64) != 60 || tok.body["refresh_expires_in"].(float64) > 120 {
			t.Fatalf("the app's lifetimes must apply: %v %v", at, tok.body["refresh_expires_in"])
		}
		if tokHeader(t, tok.str("access_token"))["alg"] != "RS256" || tokHeader(t, tok.str("id_token"))["alg"] != "ES256" {
			t.Fatal("the app's algorithm choices must apply")
		}
		id := tokClaims(t, tok.str("id_token"))
		if id["email"] != nil || id["preferred_username"] != "alice" || id["org_id"] != org.ID || id["typ"] != "ID" {
			t.Fatalf("ID token with scope openid only: %v", id)
		}
		ui := f.tokGet(f.tokURL(f.Realm, "userinfo"), tok.str("access_token"))
		if ui.status != 200 || ui.str("org_id") != org.ID || ui.body["email"] != nil {
			t.Fatalf("userinfo: %d %s", ui.status, ui.raw)
		}
		if !f.tokIntrospect(f.Realm, "web", "web-secret-123", tok.str("access_token")) {
			t.Fatal("RS256 access tokens must introspect active")
		}
	})
}
