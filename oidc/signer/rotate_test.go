package signer_test

import (
	"sync"
	"testing"
	"time"

	"iamd/iam"
	"iamd/oidc/signer"
	"iamd/store"
)

func TestRotationOverlap(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		clk := newClock()
		k := &signer.Keys{Store: st, Box: newBox(t), Now: clk.now, Overlap: time.Hour}
		r := mkRealm(t, st, "acme")
		oldES, oldRS := sign(t, k, r, signer.ES256, 1), sign(t, k, r, signer.RS256, 1)

		clk.advance(time.Minute)
		rot, err := k.RotateKeys(t.Context(), r)
		if err != nil {
			t.Fatal(err)
		}
		if len(rot.New) != 2 || len(rot.Retired) != 2 || rot.Deleted != 0 {
			t.Fatalf("first rotation: %d new, %d retired, %d deleted; want 2, 2, 0", len(rot.New), len(rot.Retired), rot.Deleted)
		}
		for _, rec := range rot.Retired {
			if !rec.ExpiresAt.Equal(clk.now().Add(time.Hour)) {
				t.Errorf("retired key %s expires at %v, want now+Overlap", rec.ID, rec.ExpiresAt)
			}
		}
		newES, newRS := sign(t, k, r, signer.ES256, 2), sign(t, k, r, signer.RS256, 2)
		if kidOf(t, newES) == kidOf(t, oldES) || kidOf(t, newRS) == kidOf(t, oldRS) {
			t.Fatal("after Rotate tokens are still signed with the old keys")
		}
		if kidOf(t, newES) != rot.New[0].ID || kidOf(t, newRS) != rot.New[1].ID {
			t.Errorf("new tokens are not signed with the keys RotateKeys reported")
		}
		set, err := k.JWKS(t.Context(), r)
		if err != nil {
			t.Fatal(err)
		}
		if len(set.Keys) != 4 {
			t.Fatalf("JWKS during the overlap has %d keys, want 4", len(set.Keys))
		}
		newKids := map[string]bool{rot.New[0].ID: true, rot.New[1].ID: true}
		if !newKids[set.Keys[0].KeyID] || !newKids[set.Keys[1].KeyID] {
			t.Errorf("JWKS during the overlap does not list the new keys first")
		}

		clk.advance(59 * time.Minute)
		for _, tok := range []string{oldES, oldRS, newES, newRS} {
			mustVerify(t, k, r, tok, "within the overlap")
		}

		clk.advance(2 * time.Minute)
		mustReject(t, k, r, oldES, "old ES256 token after the overlap")
		mustReject(t, k, r, oldRS, "old RS256 token after the overlap")
		mustVerify(t, k, r, newES, "new ES256 token after the overlap")
		mustVerify(t, k, r, newRS, "new RS256 token after the overlap")
		if set, err = k.JWKS(t.Context(), r); err != nil || len(set.Keys) != 2 {
			t.Fatalf("JWKS after the overlap: %d keys, %v; want the 2 new ones", len(set.Keys), err)
		}

		rot, err = k.RotateKeys(t.Context(), r)
		if err != nil || rot.Deleted != 2 || len(rot.Retired) != 2 {
			t.Fatalf("second rotation: %+v, %v; want the 2 expired keys deleted and 2 retired", rot, err)
		}
		recs, _ := st.Realm(r.ID).Keys().List(t.Context())
		if len(recs) != 4 {
			t.Errorf("after the second rotation the store holds %d keys, want 4", len(recs))
		}
	})
}

func TestReplicasShareKeys(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		clk := newClock()
		box := newBox(t)
		one := &signer.Keys{Store: st, Box: box, Now: clk.now}
		two := &signer.Keys{Store: st, Box: box, Now: clk.now}
		r := mkRealm(t, st, "acme")

		first := sign(t, one, r, signer.ES256, 1)
		mustVerify(t, two, r, first, "replica two verifies replica one's token")
		if kidOf(t, sign(t, two, r, signer.ES256, 2)) != kidOf(t, first) {
			t.Error("replica two created its own key although replica one's was current")
		}

		if err := one.Rotate(t.Context(), r); err != nil {
			t.Fatal(err)
		}
		rotated := sign(t, one, r, signer.RS256, 3)
		// Replica two has never seen this kid: it reads the keys again.
		mustVerify(t, two, r, rotated, "replica two verifies a key replica one just created")
		mustVerify(t, two, r, first, "the retired key on replica two")
		afterRotation := sign(t, one, r, signer.ES256, 4)

		clk.advance(signer.DefaultRefresh)
		if kidOf(t, sign(t, two, r, signer.ES256, 5)) != kidOf(t, afterRotation) {
			t.Error("replica two still signs with the retired key after a refresh interval")
		}
	})
}

func TestConcurrentFirstUse(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		clk := newClock()
		box := newBox(t)
		replicas := []*signer.Keys{{Store: st, Box: box, Now: clk.now}, {Store: st, Box: box, Now: clk.now}}
		r := mkRealm(t, st, "acme")
		var wg sync.WaitGroup
		toks := make([]string, 16)
		errs := make([]error, len(toks))
		start := make(chan struct{})
		for i := range toks {
			wg.Go(func() {
				<-start
				toks[i], errs[i] = replicas[i%2].Sign(t.Context(), r, signer.ES256, "", claims{N: i})
			})
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("Sign %d: %v", i, err)
			}
		}
		kids := map[string]bool{}
		for _, tok := range toks {
			kids[kidOf(t, tok)] = true
			for _, k := range replicas {
				mustVerify(t, k, r, tok, "a token signed during the race")
			}
		}
		if len(kids) > 2 {
			t.Errorf("16 racing first signs on 2 replicas made %d keys, want at most one per replica", len(kids))
		}
		// Once both have refreshed, the newest key wins everywhere.
		clk.advance(signer.DefaultRefresh)
		a, b := sign(t, replicas[0], r, signer.ES256, 1), sign(t, replicas[1], r, signer.ES256, 1)
		if kidOf(t, a) != kidOf(t, b) {
			t.Errorf("after a refresh the replicas sign with different keys %s and %s", kidOf(t, a), kidOf(t, b))
		}
	})
}

func TestUnknownRealm(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		k := &signer.Keys{Store: st, Box: newBox(t)}
		ghost := &iam.Realm{ID: iam.NewID(), Name: "ghost"}
		_, err := k.Sign(t.Context(), ghost, signer.ES256, "", claims{})
		if !iam.IsCode(err, iam.CodeNotFound) {
			t.Errorf("Sign for a realm not in the store: want CodeNotFound, got %v", err)
		}
		if err := k.Rotate(t.Context(), ghost); !iam.IsCode(err, iam.CodeNotFound) {
			t.Errorf("Rotate for a realm not in the store: want CodeNotFound, got %v", err)
		}
	})
}
