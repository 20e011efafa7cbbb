package iamv1_test

import (
	"context"
	"net/http"
	"testing"

	"iamd/directory"
	"iamd/iam"
)

// Admin operations take a token of the served realm with realm role
// admin, or of an administrator of realm master; anyone else is 401 or 403.
func TestAuthenticateAdmin(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		token := func(realm *iam.Realm, name string, roles ...string) string {
			t.Helper()
			u, err := f.Dir.CreateUser(ctx, realm, directory.NewUser{Username: name, RealmRoles: roles}, "")
			if err != nil {
				t.Fatal(err)
			}
			app, err := f.Dir.EnsureApp(ctx, realm, directory.NewApp{ClientID: "iam-web", Public: true, GrantTypes: []string{iam.GrantRefreshToken}})
			if err != nil {
				t.Fatal(err)
			}
			return f.otherRealmToken(realm, app, u)
		}
		master, err := f.Dir.EnsureRealm(ctx, directory.MasterRealm, "")
		if err != nil {
			t.Fatal(err)
		}
		other, err := f.Dir.EnsureRealm(ctx, "other", "")
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, token, realm string
			status             int
		}{
			{"realm admin", token(f.Realm, "boss", iam.RoleAdmin), "acme", http.StatusOK},
			{"server admin", token(master, "root", iam.RoleAdmin), directory.MasterRealm, http.StatusOK},
			{"plain user", token(f.Realm, "joe"), "", http.StatusForbidden},
			{"plain user of master", token(master, "mary"), "", http.StatusForbidden},
			{"admin of another realm", token(other, "olga", iam.RoleAdmin), "", http.StatusUnauthorized},
			{"no token", "", "", http.StatusUnauthorized},
		} {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, f.URL+"/v1/iam/users/otp", nil)
			if tc.token != "" {
				req.Header.Set("x-access-token", tc.token)
			}
			realm, status := f.API.AuthenticateAdminForTest(req)
			if realm != tc.realm || status != tc.status {
				t.Errorf("%s: realm %q status %d, want %q %d", tc.name, realm, status, tc.realm, tc.status)
			}
		}
	})
}
