package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"iamd/iam"
	"iamd/oidc/signer"
	"iamd/seal"
)

// keysRotate gives a realm new signing keys. The old ones stop signing at
// once and stay published for --overlap, so tokens they signed keep
// verifying until then; running servers pick the new keys up within their
// cache refresh (30s), or at once when they see a token signed by one.
func keysRotate(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	var realm string
	var overlap time.Duration
	a, rest, err := loadAndOpen(ctx, "keys rotate", args, env, stderr, func(fs *flagSet) {
		fs.StringVar(&realm, "realm", "", "realm name (required)")
		fs.DurationVar(&overlap, "overlap", signer.DefaultOverlap,
			"how long the old keys stay published; longer than the longest token lifetime")
	})
	if err != nil {
		return err
	}
	defer a.store.Close()
	if len(rest) > 0 {
		return usageErrorf("keys rotate: unexpected argument %q", rest[0])
	}
	if realm == "" {
		return usageErrorf("keys rotate: --realm is required")
	}
	if overlap <= 0 {
		return usageErrorf("keys rotate: --overlap must be positive, e.g. 24h")
	}
	r, err := a.directory.RealmByName(ctx, realm)
	if err != nil {
		return err
	}
	// The same master key as the server's, or it could not open the keys.
	key, err := seal.LoadOrCreateKey(a.cfg.MasterKey, a.cfg.MasterKeyPath())
	if err != nil {
		return fmt.Errorf("master key: %w", err)
	}
	box, err := seal.New(key)
	if err != nil {
		return fmt.Errorf("master key: %w", err)
	}
	keys := &signer.Keys{Store: a.store, Box: box, Overlap: overlap}
	rot, err := keys.RotateKeys(ctx, r)
	if err != nil {
		return err
	}
	return printJSON(stdout, map[string]any{
		"realm": r.Name, "new": keyInfos(rot.New), "retired": keyInfos(rot.Retired), "deleted": rot.Deleted,
	})
}

// keyInfos is the public face of signing keys: never the private part.
func keyInfos(keys []*iam.SigningKey) []map[string]any {
	out := []map[string]any{}
	for _, k := range keys {
		m := map[string]any{"kid": k.ID, "alg": k.Alg, "createdAt": k.CreatedAt}
		if k.ExpiresAt != nil {
			m["expiresAt"] = *k.ExpiresAt
		}
		out = append(out, m)
	}
	return out
}
