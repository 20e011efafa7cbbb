package signer_test

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/go-jose/go-jose/v4"

	"iamd/iam"
	"iamd/oidc/signer"
	"iamd/store"
)

func TestSignVerify(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		k := &signer.Keys{Store: st, Box: newBox(t)}
		r := mkRealm(t, st, "acme")
		for _, c := range []struct{ alg, typ, wantTyp string }{
			{signer.ES256, "at+jwt", "at+jwt"},
			{signer.RS256, "", "JWT"},
		} {
			tok, err := k.Sign(t.Context(), r, c.alg, c.typ, map[string]any{"sub": "alice", "aud": []string{"a", "b"}})
			if err != nil {
				t.Fatalf("Sign %s: %v", c.alg, err)
			}
			h := header(t, tok)
			if h.Algorithm != c.alg || h.KeyID == "" || h.ExtraHeaders["typ"] != c.wantTyp {
				t.Errorf("%s header: alg %q kid %q typ %v; want alg %s, a kid, typ %s", c.alg, h.Algorithm, h.KeyID, h.ExtraHeaders["typ"], c.alg, c.wantTyp)
			}
			payload := mustVerify(t, k, r, tok, c.alg)
			if string(payload) != `{"aud":["a","b"],"sub":"alice"}` {
				t.Errorf("%s payload = %s", c.alg, payload)
			}
		}
		if kidOf(t, sign(t, k, r, signer.ES256, 1)) == kidOf(t, sign(t, k, r, signer.RS256, 1)) {
			t.Error("ES256 and RS256 tokens name the same kid")
		}
	})
}

func TestRejectsBadTokens(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		k := &signer.Keys{Store: st, Box: newBox(t)}
		r := mkRealm(t, st, "acme")
		good := sign(t, k, r, signer.ES256, 1)
		parts := strings.Split(good, ".")
		forged := base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"mallory","n":1}`))
		hs256 := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","kid":"` + kidOf(t, good) + `"}`))
		none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","kid":"` + kidOf(t, good) + `"}`))
		rsHeader := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"RS256","kid":"` + kidOf(t, good) + `"}`))
		noKid := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"ES256"}`))
		unknownKid := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"ES256","kid":"nope"}`))
		for name, tok := range map[string]string{
			"empty":                           "",
			"garbage":                         "not a token",
			"payload swapped":                 parts[0] + "." + forged + "." + parts[2],
			"signature cut":                   parts[0] + "." + parts[1] + ".",
			"HS256 header":                    hs256 + "." + parts[1] + "." + parts[2],
			"alg none":                        none + "." + parts[1] + ".",
			"RS256 header on an ES256 key":    rsHeader + "." + parts[1] + "." + parts[2],
			"no kid":                          noKid + "." + parts[1] + "." + parts[2],
			"unknown kid":                     unknownKid + "." + parts[1] + "." + parts[2],
			"JSON serialization, not compact": `{"payload":"` + parts[1] + `","protected":"` + parts[0] + `","signature":"` + parts[2] + `"}`,
		} {
			mustReject(t, k, r, tok, name)
		}
		if _, err := k.Sign(t.Context(), r, "HS256", "", map[string]any{}); !iam.IsCode(err, iam.CodeInvalid) {
			t.Errorf("Sign with HS256: want CodeInvalid, got %v", err)
		}
	})
}

func TestJWKSValidatesTokens(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		k := &signer.Keys{Store: st, Box: newBox(t)}
		r := mkRealm(t, st, "acme")
		set, err := k.JWKS(t.Context(), r)
		if err != nil {
			t.Fatal(err)
		}
		if len(set.Keys) != 2 {
			t.Fatalf("JWKS of a new realm has %d keys, want the default ES256 and RS256", len(set.Keys))
		}
		again, err := k.JWKS(t.Context(), r)
		if err != nil || len(again.Keys) != 2 {
			t.Fatalf("second JWKS: %d keys, %v; want the same 2", len(again.Keys), err)
		}
		// A client sees only the JSON.
		raw, err := json.Marshal(set)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte(`"d"`)) {
			t.Fatalf("JWKS leaks a private part: %s", raw)
		}
		var client jose.JSONWebKeySet
		if err := json.Unmarshal(raw, &client); err != nil {
			t.Fatal(err)
		}
		algs := map[string]bool{}
		for _, jwk := range client.Keys {
			algs[jwk.Algorithm] = true
			if jwk.Use != "sig" || !jwk.IsPublic() || !jwk.Valid() {
				t.Errorf("JWK %s: use %q, public %v, valid %v", jwk.KeyID, jwk.Use, jwk.IsPublic(), jwk.Valid())
			}
		}
		if !algs["ES256"] || !algs["RS256"] {
			t.Errorf("JWKS algorithms %v, want ES256 and RS256", algs)
		}
		for _, alg := range signer.Algorithms {
			tok := sign(t, k, r, alg, 7)
			jws, err := jose.ParseSignedCompact(tok, []jose.SignatureAlgorithm{jose.SignatureAlgorithm(alg)})
			if err != nil {
				t.Fatal(err)
			}
			keys := client.Key(jws.Signatures[0].Header.KeyID)
			if len(keys) != 1 {
				t.Fatalf("%s token's kid is %d times in the JWKS, want once", alg, len(keys))
			}
			payload, err := jws.Verify(keys[0])
			if err != nil || !strings.Contains(string(payload), `"n":7`) {
				t.Errorf("%s token does not verify with the published key: %v %s", alg, err, payload)
			}
		}
	})
}

func TestPrivateKeysAreSealedAtRest(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		box := newBox(t)
		k := &signer.Keys{Store: st, Box: box}
		r := mkRealm(t, st, "acme")
		sign(t, k, r, signer.ES256, 1)
		sign(t, k, r, signer.RS256, 1)
		recs, err := st.Realm(r.ID).Keys().List(t.Context())
		if err != nil || len(recs) != 2 {
			t.Fatalf("stored keys: %d, %v; want 2", len(recs), err)
		}
		for _, rec := range recs {
			if _, err := x509.ParsePKCS8PrivateKey(rec.PrivateEnc); err == nil {
				t.Errorf("key %s: the stored private part parses as PKCS#8 without the master key", rec.ID)
			}
			if _, err := newBox(t).Open(rec.PrivateEnc, iam.SigningKeyAD(rec.ID)); err == nil {
				t.Errorf("key %s: another master key opens the private part", rec.ID)
			}
			if _, err := box.Open(rec.PrivateEnc, iam.SigningKeyAD("other-kid")); err == nil {
				t.Errorf("key %s: the private part opens under another key id", rec.ID)
			}
			der, err := box.Open(rec.PrivateEnc, iam.SigningKeyAD(rec.ID))
			if err != nil {
				t.Fatalf("key %s: the master key does not open it: %v", rec.ID, err)
			}
			if _, err := x509.ParsePKCS8PrivateKey(der); err != nil {
				t.Errorf("key %s: opened private part is not PKCS#8: %v", rec.ID, err)
			}
			if bytes.Contains(rec.PrivateEnc, der[len(der)-32:]) {
				t.Errorf("key %s: private key bytes appear in clear in the stored value", rec.ID)
			}
		}
		// A server started with another master key cannot sign with them.
		other := &signer.Keys{Store: st, Box: newBox(t)}
		if _, err := other.Sign(t.Context(), r, signer.ES256, "", claims{}); err == nil {
			t.Error("Sign with the wrong master key succeeded")
		}
	})
}

func TestCrossRealmTokensFail(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		k := &signer.Keys{Store: st, Box: newBox(t)}
		a, b := mkRealm(t, st, "a"), mkRealm(t, st, "b")
		for _, alg := range signer.Algorithms {
			ta, tb := sign(t, k, a, alg, 1), sign(t, k, b, alg, 2)
			mustVerify(t, k, a, ta, "own realm")
			mustReject(t, k, b, ta, alg+" token of realm a at realm b")
			mustReject(t, k, a, tb, alg+" token of realm b at realm a")
			if kidOf(t, ta) == kidOf(t, tb) {
				t.Fatalf("two realms share kid %s", kidOf(t, ta))
			}
		}
		set, err := k.JWKS(t.Context(), b)
		if err != nil {
			t.Fatal(err)
		}
		ka := kidOf(t, sign(t, k, a, signer.ES256, 1))
		if len(set.Key(ka)) != 0 {
			t.Errorf("realm b's JWKS publishes realm a's key %s", ka)
		}
	})
}

func TestSteadyStateSigningReadsNoKeys(t *testing.T) {
	backends(t, func(t *testing.T, st store.Store) {
		var lists atomic.Int64
		k := &signer.Keys{Store: countingStore{st, &lists}, Box: newBox(t)}
		r := mkRealm(t, st, "acme")
		tok := sign(t, k, r, signer.ES256, 0)
		before := lists.Load()
		for i := range 500 {
			sign(t, k, r, signer.ES256, i)
		}
		for range 100 {
			mustVerify(t, k, r, tok, "cached key")
		}
		if n := lists.Load() - before; n != 0 {
			t.Errorf("600 signs and verifies read the key list %d times, want 0 (cached)", n)
		}
	})
}
