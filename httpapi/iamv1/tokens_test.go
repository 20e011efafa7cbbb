package iamv1_test

import (
	"context"
	"net/http"
	"testing"

	"iamd/directory"
)

// getrefreshtoken rotates the refresh token for an organization the user
// belongs to, refuses any other with 400 (changing nothing), and a
// replayed refresh token revokes its family.
func TestGetRefreshToken(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		a := f.signUpWeb("ann@example.com", "Correct-Horse-9", "A")
		ann, err := f.Dir.FindUser(ctx, f.Realm, "ann@example.com")
		if err != nil {
			t.Fatal(err)
		}
		b, err := f.Dir.CreateOrganization(ctx, f.Realm, directory.NewOrganization{Name: "B", CreatorID: ann.ID}, "")
		if err != nil {
			t.Fatal(err)
		}
		c := f.signUpWeb("cid@example.com", "Correct-Horse-9", "C")
		s := f.signIn("ann@example.com", "Correct-Horse-9")
		refresh := func(path, token string, tenant any) resp {
			return f.post("/v1/iam/auth/"+path+"/getrefreshtoken", map[string]any{"refreshToken": token, "tenantId": tenant, "userName": "ann@example.com"})
		}
		tok := s.str("refreshToken")
		f.wantError(refresh("web", tok, c.num("tenantId")), http.StatusBadRequest, msgCodeFailed, "tenantId")
		f.wantError(refresh("web", tok, 987654321), http.StatusBadRequest, msgCodeFailed, "tenantId")

		r := f.want(refresh("web", tok, b.Num), http.StatusOK) // the refused calls changed nothing
		if r.str("refreshToken") == tok || r.str("accessToken") == "" || r.str("guid") != ann.ID || r.str("tokenType") != "Bearer" {
			t.Fatalf("refresh: %s", r.raw)
		}
		if got := int64(claims(t, r.str("accessToken"))["org_num"].(float64)); got != b.Num {
			t.Fatalf("org_num %d, want %d", got, b.Num)
		}
		// The mobile and app paths do the same; a tenantId in a string is read too.
		r2 := f.want(refresh("mobile", r.str("refreshToken"), "0"), http.StatusOK)
		if got := int64(claims(t, r2.str("accessToken"))["org_num"].(float64)); got != b.Num {
			t.Fatal("tenantId 0 keeps the organization")
		}
		r3 := f.want(refresh("app", r2.str("refreshToken"), a.num("tenantId")), http.StatusOK)
		if got := int64(claims(t, r3.str("accessToken"))["org_num"].(float64)); got != a.num("tenantId") {
			t.Fatal("back to A")
		}
		// A rotated-away token is a replay: the whole family dies.
		f.wantError(refresh("web", tok, 0), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(refresh("web", r3.str("refreshToken"), 0), http.StatusUnauthorized, "Unauthorized", "")
		f.wantError(refresh("web", "not-a-token", 0), http.StatusUnauthorized, "Unauthorized", "")

		// Bad input names the field.
		f.wantError(f.post("/v1/iam/auth/web/getrefreshtoken", map[string]any{"refreshToken": "x", "userName": "ann@example.com"}), http.StatusBadRequest, "", "tenantId")
		f.wantError(refresh("web", "x", "abc"), http.StatusBadRequest, "", "tenantId")
		f.wantError(refresh("web", "x", true), http.StatusBadRequest, "", "tenantId")
		f.wantError(f.post("/v1/iam/auth/web/getrefreshtoken", map[string]any{"tenantId": 1, "userName": "ann@example.com"}), http.StatusBadRequest, "", "refreshToken")
	})
}
