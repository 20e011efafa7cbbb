package signer_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"iamd/oidc/signer"
	"iamd/store/sqlstore/sqlite"
)

// BenchmarkSign measures the steady state of the token endpoint's signing
// step: a cached key, no store access.
func BenchmarkSign(b *testing.B) {
	st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "iamd.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	k := &signer.Keys{Store: st, Box: newBox(b)}
	r := mkRealm(b, st, "acme")
	c := map[string]any{"iss": "https://id.example.com/realms/acme", "sub": "backend", "aud": "api",
		"exp": time.Now().Add(5 * time.Minute).Unix(), "iat": time.Now().Unix(), "scope": "read write"}
	for _, alg := range signer.Algorithms {
		b.Run(alg, func(b *testing.B) {
			ctx := context.Background()
			if _, err := k.Sign(ctx, r, alg, "at+jwt", c); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := k.Sign(ctx, r, alg, "at+jwt", c); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
