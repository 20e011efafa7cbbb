package directory

import (
	"context"
	"strings"
	"time"

	"iamd/iam"
	"iamd/store"
)

// NewApp is what an administrator gives to register an app.
type NewApp struct {
	ClientID     string
	Name         string
	Description  string
	Public       bool
	Secret       string // confidential apps: generated when empty
	GrantTypes   []string
	RedirectURIs []string
	Scopes       []string
	AccessTTL    time.Duration
	RefreshTTL   time.Duration
	Attributes   map[string]string
}

// CreateApp registers an app. A confidential app gets a secret (generated
// when in.Secret is empty) which is returned once here and stored only as a
// hash; a public app has none and returns "". With no grant types given, an
// app gets authorization_code and refresh_token. CodeInvalid names the bad
// field; CodeConflict means the client id is taken in the realm.
func (s *Service) CreateApp(ctx context.Context, realm *iam.Realm, in NewApp, actorID string) (*iam.App, string, error) {
	now := s.now()
	a := &iam.App{
		ID: iam.NewID(), RealmID: realm.ID, ClientID: strings.TrimSpace(in.ClientID),
		Name: in.Name, Description: in.Description, Public: in.Public,
		RedirectURIs: in.RedirectURIs, GrantTypes: in.GrantTypes, Scopes: in.Scopes,
		Enabled: true, AccessTTL: in.AccessTTL, RefreshTTL: in.RefreshTTL,
		Attributes: in.Attributes, CreatedAt: now, UpdatedAt: now,
	}
	if len(a.GrantTypes) == 0 {
		a.GrantTypes = []string{iam.GrantAuthorizationCode, iam.GrantRefreshToken}
	}
	if a.Name == "" {
		a.Name = a.ClientID
	}
	if err := iam.ValidateApp(a); err != nil {
		return nil, "", err
	}
	secret := in.Secret
	switch {
	case a.Public && secret != "":
		return nil, "", iam.Invalid("secret", "a public app has no secret")
	case !a.Public && secret == "":
		secret = iam.NewSecret(32)
	case !a.Public && (len(secret) < 8 || len(secret) > 512):
		return nil, "", iam.Invalid("secret", "a client secret must be 8-512 characters")
	}
	if secret != "" {
		a.SecretHash = iam.HashToken(secret)
	}
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		if err := sc.Apps().Create(ctx, a); err != nil {
			return store.AsIAM(err, "app", "an app with client id "+a.ClientID+" already exists")
		}
		return sc.Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: iam.EventAppCreated, AppID: a.ID, ActorID: actorID, CreatedAt: now})
	})
	if err != nil {
		return nil, "", store.AsIAM(err, "app", "")
	}
	return a, secret, nil
}
