package oidc

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"slices"
	"time"

	"iamd/iam"
	"iamd/oidc/signer"
	"iamd/store"
)

// mint says what tokens to make and for whom.
type mint struct {
	realm    *iam.Realm
	issuer   string // one of the realm's issuers
	app      *iam.App
	user     *iam.User    // nil: a client_credentials (service-account) token
	session  *iam.Session // nil without a user
	scope    string       // granted scope; "openid" in it asks for an ID token
	nonce    string
	authTime time.Time
	amr      []string
}

// minted is the outcome of mintTokens.
type minted struct {
	access    string
	accessExp time.Time
	idToken   string // "" unless the scope has openid and there is a user
}

// mintTokens signs the access token (ES256, or RS256 when the app's
// attribute access_token_alg says so) and, for a user whose scope has
// openid, the ID token (RS256, or ES256 when id_token_alg says so). Lifetimes
// are the app's override or the realm's default; the access token never
// outlives the session.
func (p *Provider) mintTokens(ctx context.Context, m *mint) (*minted, error) {
	now := p.now()
	exp := now.Add(accessTTL(m.realm, m.app))
	if m.session != nil && m.session.ExpiresAt.Before(exp) {
		exp = m.session.ExpiresAt
	}
	ac := &accessClaims{
		Iss: m.issuer, Aud: m.app.ClientID, Azp: m.app.ClientID, Exp: exp.Unix(), Iat: now.Unix(),
		Jti: iam.NewID(), Typ: typBearer, Scope: m.scope,
	}
	var org orgRef
	if m.user == nil {
		ac.Sub, ac.ClientID, ac.PreferredUsername = m.app.ID, m.app.ClientID, "service-account-"+m.app.ClientID
	} else {
		if err := p.userAccess(ctx, m, ac); err != nil {
			return nil, err
		}
		org = orgRef{ac.OrgID, ac.OrgNum}
	}
	access, err := p.Keys.Sign(ctx, m.realm, algOf(m.app, "access_token_alg", signer.ES256), "JWT", ac)
	if err != nil {
		return nil, err
	}
	out := &minted{access: access, accessExp: exp}
	if m.user != nil && hasScope(m.scope, "openid") {
		alg := algOf(m.app, "id_token_alg", signer.RS256)
		idc := &idClaims{
			Iss: m.issuer, Sub: m.user.ID, Aud: m.app.ClientID, Exp: exp.Unix(), Iat: now.Unix(),
			Nonce: m.nonce, AtHash: atHash(access), AMR: m.amr, Azp: m.app.ClientID, Typ: typID,
			profileClaims: profileOf(m.user, m.scope), OrgID: org.id, OrgNum: org.num,
		}
		if !m.authTime.IsZero() {
			idc.AuthTime = m.authTime.Unix()
		}
		if m.session != nil {
			idc.Sid = m.session.ID
		}
		if out.idToken, err = p.Keys.Sign(ctx, m.realm, alg, "JWT", idc); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// userAccess fills the user's part of an access token: identity, roles
// and the session's current organization.
func (p *Provider) userAccess(ctx context.Context, m *mint, ac *accessClaims) error {
	u := m.user
	ac.Sub, ac.PreferredUsername = u.ID, u.Username
	ac.Name, ac.GivenName, ac.FamilyName = fullName(u), u.FirstName, u.LastName
	if u.Email != "" {
		ac.Email, ac.EmailVerified = u.Email, boolPtr(u.EmailVerified)
	}
	if m.session != nil {
		ac.Sid = m.session.ID
		org, err := p.orgOf(ctx, m.realm, m.session.OrgID, u.ID)
		if err != nil {
			return err
		}
		ac.OrgID, ac.OrgNum = org.id, org.num
	}
	var err error
	ac.RealmAccess, ac.ResourceAccess, err = p.rolesOf(ctx, m.realm, u.ID)
	return err
}

type orgRef struct {
	id  string
	num int64
}

// orgOf resolves the session's organization; a deleted or vanished one,
// or one the user is no longer an active member of (removed, made
// inactive, an organization reset), is no organization: a refresh must
// not keep speaking for an organization the user left.
func (p *Provider) orgOf(ctx context.Context, realm *iam.Realm, orgID, userID string) (orgRef, error) {
	if orgID == "" {
		return orgRef{}, nil
	}
	sc := p.Store.Realm(realm.ID)
	o, err := sc.Organizations().Get(ctx, orgID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && o.DeletedAt != nil) {
		return orgRef{}, nil
	}
	if err != nil {
		return orgRef{}, err
	}
	m, err := sc.Organizations().GetMember(ctx, orgID, userID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && !m.Active()) {
		return orgRef{}, nil
	}
	if err != nil {
		return orgRef{}, err
	}
	return orgRef{o.ID, o.Num}, nil
}

// rolesOf returns the user's realm roles and app roles keyed by client id
// (roles granted directly to the user), sorted by name.
func (p *Provider) rolesOf(ctx context.Context, realm *iam.Realm, userID string) (*roleList, map[string]roleList, error) {
	sc := p.Store.Realm(realm.ID)
	roles, err := sc.Roles().OfUser(ctx, userID)
	if err != nil || len(roles) == 0 {
		return nil, nil, err
	}
	var realmRoles []string
	byApp := map[string][]string{}
	for _, r := range roles {
		if r.AppID == "" {
			realmRoles = append(realmRoles, r.Name)
		} else {
			byApp[r.AppID] = append(byApp[r.AppID], r.Name)
		}
	}
	var res map[string]roleList
	for appID, names := range byApp {
		a, err := p.appByID(ctx, realm, appID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && a.DeletedAt != nil) {
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		if res == nil {
			res = map[string]roleList{}
		}
		slices.Sort(names)
		res[a.ClientID] = roleList{Roles: names}
	}
	var rl *roleList
	if len(realmRoles) > 0 {
		slices.Sort(realmRoles)
		rl = &roleList{Roles: realmRoles}
	}
	return rl, res, nil
}

// appByID returns the app with id, deleted or not (store.ErrNotFound if none).
func (p *Provider) appByID(ctx context.Context, realm *iam.Realm, id string) (*iam.App, error) {
	return p.Store.Realm(realm.ID).Apps().Get(ctx, id)
}

// algOf is the signing algorithm the app's attribute attr names, or def.
func algOf(app *iam.App, attr, def string) string {
	switch app.Attributes[attr] {
	case signer.RS256:
		return signer.RS256
	case signer.ES256:
		return signer.ES256
	}
	return def
}

// atHash is the at_hash of an access token for RS256 and ES256: the
// base64url left half of its SHA-256 (OpenID Connect Core §3.1.3.6).
func atHash(access string) string {
	sum := sha256.Sum256([]byte(access))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// accessTTL and refreshTTL are the app's override or the realm's default.
func accessTTL(realm *iam.Realm, app *iam.App) time.Duration {
	if app.AccessTTL > 0 {
		return app.AccessTTL
	}
	return realm.Settings.Tokens.Effective().AccessToken
}

func refreshTTL(realm *iam.Realm, app *iam.App) time.Duration {
	if app.RefreshTTL > 0 {
		return app.RefreshTTL
	}
	return realm.Settings.Tokens.Effective().RefreshToken
}
