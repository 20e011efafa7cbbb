package signer

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"fmt"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"

	"iamd/iam"
	"iamd/seal"
)

// key is one cached signing key. rec is the stored record as of the
// snapshot holding this key; the private part is opened on first use and
// then kept with one jose.Signer per typ.
type key struct {
	rec *iam.SigningKey
	pub crypto.PublicKey

	mat *material // shared by the snapshots that hold the same key
}

type material struct {
	once    sync.Once
	priv    crypto.Signer
	err     error
	signers sync.Map // typ → jose.Signer
}

// newKey wraps rec, reusing prev's material when prev is the same key.
func newKey(rec *iam.SigningKey, prev *key) (*key, error) {
	if prev != nil && bytes.Equal(prev.rec.Public, rec.Public) && prev.rec.Alg == rec.Alg {
		return &key{rec: rec, pub: prev.pub, mat: prev.mat}, nil
	}
	pub, err := x509.ParsePKIXPublicKey(rec.Public)
	if err != nil {
		return nil, fmt.Errorf("signer: public key %s: %w", rec.ID, err)
	}
	return &key{rec: rec, pub: pub, mat: &material{}}, nil
}

// signer returns the cached jose.Signer for typ.
func (k *key) signer(box *seal.Box, typ string) (jose.Signer, error) {
	if s, ok := k.mat.signers.Load(typ); ok {
		return s.(jose.Signer), nil
	}
	priv, err := k.private(box)
	if err != nil {
		return nil, err
	}
	s, err := jose.NewSigner(
		jose.SigningKey{Algorithm: jose.SignatureAlgorithm(k.rec.Alg), Key: jose.JSONWebKey{Key: priv, KeyID: k.rec.ID}},
		(&jose.SignerOptions{}).WithType(jose.ContentType(typ)))
	if err != nil {
		return nil, fmt.Errorf("signer: key %s: %w", k.rec.ID, err)
	}
	actual, _ := k.mat.signers.LoadOrStore(typ, s)
	return actual.(jose.Signer), nil
}

// private opens the sealed private key once and checks that it belongs to
// the public key and algorithm on record.
func (k *key) private(box *seal.Box) (crypto.Signer, error) {
	k.mat.once.Do(func() {
		k.mat.priv, k.mat.err = openPrivate(box, k.rec, k.pub)
	})
	return k.mat.priv, k.mat.err
}

func openPrivate(box *seal.Box, rec *iam.SigningKey, pub crypto.PublicKey) (crypto.Signer, error) {
	der, err := box.Open(rec.PrivateEnc, iam.SigningKeyAD(rec.ID))
	if err != nil {
		return nil, fmt.Errorf("signer: private key %s (was the master key changed?): %w", rec.ID, err)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("signer: private key %s: %w", rec.ID, err)
	}
	priv, ok := parsed.(crypto.Signer)
	type equaler interface{ Equal(crypto.PublicKey) bool }
	if eq, isEq := pub.(equaler); !ok || !isEq || !eq.Equal(priv.Public()) || algOf(priv) != rec.Alg {
		return nil, fmt.Errorf("signer: private key %s does not match its public key or algorithm", rec.ID)
	}
	return priv, nil
}

func algOf(priv crypto.Signer) string {
	switch p := priv.(type) {
	case *ecdsa.PrivateKey:
		if p.Curve == elliptic.P256() {
			return ES256
		}
	case *rsa.PrivateKey:
		return RS256
	}
	return ""
}

// generate makes a new key record for alg: P-256 for ES256, RSA 2048 for
// RS256, a random URL-safe kid, and the private part sealed.
func (k *Keys) generate(realmID, alg string, now time.Time) (*iam.SigningKey, error) {
	var priv crypto.Signer
	var err error
	switch alg {
	case ES256:
		priv, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case RS256:
		priv, err = rsa.GenerateKey(rand.Reader, 2048)
	default:
		return nil, iam.Invalid("alg", "unsupported signing algorithm %q (want ES256 or RS256)", alg)
	}
	if err != nil {
		return nil, iam.Internal(fmt.Errorf("signer: generating %s key: %w", alg, err))
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, iam.Internal(err)
	}
	pub, err := x509.MarshalPKIXPublicKey(priv.Public())
	if err != nil {
		return nil, iam.Internal(err)
	}
	id := iam.NewSecret(16)
	return &iam.SigningKey{
		ID: id, RealmID: realmID, Alg: alg,
		PrivateEnc: k.Box.Seal(der, iam.SigningKeyAD(id)),
		Public:     pub,
		CreatedAt:  now,
	}, nil
}
