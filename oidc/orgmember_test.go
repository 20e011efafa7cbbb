package oidc_test

import (
	"context"
	"testing"
)

// A session whose user left its organization (removed, or the
// organization reset) no longer speaks for it: refreshed tokens carry no
// organization, while the session itself stays usable.
func TestRefreshDropsAnOrganizationTheUserLeft(t *testing.T) {
	backends(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		w := newAPIWorld(t, f)
		ts := w.signIn(w.orgB.ID)
		if err := f.Dir.RemoveMember(ctx, f.Realm, w.orgB.ID, w.alice.ID, ""); err != nil {
			t.Fatal(err)
		}
		next, err := f.Provider.Refresh(ctx, f.Realm, w.web, ts.RefreshToken, "")
		if err != nil {
			t.Fatal(err)
		}
		c, err := f.Provider.VerifyAccessToken(ctx, f.Realm, next.AccessToken)
		if err != nil || c.OrgID != "" || c.OrgNum != 0 {
			t.Fatalf("claims after leaving: %+v %v", c, err)
		}
		// Still a member of A: a switch there works.
		if _, err := f.Provider.Refresh(ctx, f.Realm, w.web, next.RefreshToken, w.orgA.ID); err != nil {
			t.Fatal(err)
		}
	})
}
