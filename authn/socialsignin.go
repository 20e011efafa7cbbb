package authn

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"iamd/authn/social"
	"iamd/directory"
	"iamd/iam"
	"iamd/store"
)

// SocialLogin is what a client brings back from an upstream provider to
// sign in with: an authorization code (with the redirect_uri it was issued
// for), or an ID token it obtained itself.
type SocialLogin struct {
	Provider    string // a provider of the realm (iam.SocialProvider.Name, any case)
	Code        string
	RedirectURL string // "" for the provider's configured one
	IDToken     string // used when set, instead of Code
	// FirstName and LastName name a user created now when the provider
	// does not (Apple tells names only once, outside its token).
	FirstName, LastName string
	Source              string // Profile.Source of a user created now
	IP                  string
}

// SocialSignedIn is the outcome of SocialSignIn. Existing is false when
// the user was created by this sign-in.
type SocialSignedIn struct {
	User     *iam.User
	Existing bool
	Provider *iam.SocialProvider
	Identity *social.Identity
}

// SocialSignIn signs a user in through an upstream provider configured in
// realm. The provider's identity (its name and the user's subject there)
// is a CredSocial credential of at most one user:
//
//   - a linked identity signs its user in;
//   - otherwise, when a user of the realm has the identity's e-mail, the
//     identity is linked to that user only if the provider says the
//     address is verified and the user has verified it too (else anyone
//     who registered an address first, or who controls a provider that
//     does not verify addresses, could take over the account); when
//     either has not, the sign-in is refused;
//   - otherwise a user is created (username: the e-mail, else
//     "<provider>_<subject>"), with the e-mail verified as the provider
//     says, no password, and the identity linked.
//
// The provider's ClientSecretEnc is opened with Unseal (used as it is when
// Unseal is nil, as tests do).
//
// Errors: CodeRateLimited; CodeInvalid ("code") when neither a code nor an
// ID token is given; CodeUnauthorized for a provider the realm does not
// have or has disabled, for whatever the provider or its keys refuse, for
// an e-mail that may not be linked, and for a disabled or locked user;
// CodeUnavailable when the provider cannot be reached or its
// configuration is unusable.
func (s *Service) SocialSignIn(ctx context.Context, realm *iam.Realm, in SocialLogin) (*SocialSignedIn, error) {
	if !s.Throttle.Allow(in.IP, s.now()) {
		return nil, iam.Errorf(iam.CodeRateLimited, "too many sign-in attempts from this address, try again later")
	}
	if in.Code == "" && in.IDToken == "" {
		return nil, iam.Invalid("code", "an authorization code or an ID token of the provider is required")
	}
	p := realm.Settings.SocialProvider(in.Provider)
	if p == nil || p.Disabled {
		return nil, iam.Errorf(iam.CodeUnauthorized, "the realm has no provider %q for sign-in", socialCut(in.Provider, 64))
	}
	id, err := s.socialIdentity(ctx, p, in)
	if err != nil {
		s.socialFailed(ctx, realm, p, in.IP, err)
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		out, err := s.signInIdentity(ctx, realm, p, id, in)
		// A concurrent first sign-in of the same identity may have linked
		// it meanwhile; the second look finds that link.
		if iam.IsCode(err, iam.CodeConflict) && attempt == 0 {
			continue
		}
		if iam.IsCode(err, iam.CodeConflict) {
			err = &iam.Error{Code: iam.CodeUnauthorized, Message: "the identity cannot be linked: " + iam.ErrorMessage(err), Err: err}
		}
		if err != nil {
			s.socialFailed(ctx, realm, p, in.IP, err)
			return nil, err
		}
		return out, nil
	}
}

// socialIdentity asks the provider who the user is.
func (s *Service) socialIdentity(ctx context.Context, p *iam.SocialProvider, in SocialLogin) (*social.Identity, error) {
	secret := ""
	if len(p.ClientSecretEnc) > 0 {
		b := p.ClientSecretEnc
		if s.Unseal != nil {
			var err error
			if b, err = s.Unseal(b); err != nil {
				return nil, &iam.Error{Code: iam.CodeUnavailable, Message: "the client secret of the provider " + p.Name + " cannot be opened", Err: err}
			}
		}
		secret = string(b)
	}
	c, err := s.connectors().Open(ctx, p, secret)
	if iam.IsCode(err, iam.CodeInvalid) {
		return nil, &iam.Error{Code: iam.CodeUnavailable, Message: "the provider " + p.Name + " is misconfigured: " + iam.ErrorMessage(err), Err: err}
	}
	if err != nil {
		return nil, err
	}
	if in.IDToken != "" {
		v, ok := c.(social.IDTokenVerifier)
		if !ok {
			return nil, iam.Errorf(iam.CodeUnauthorized, "the provider %s issues no ID tokens; send an authorization code", p.Name)
		}
		return v.VerifyIDToken(ctx, in.IDToken)
	}
	x, ok := c.(social.CodeExchanger)
	if !ok {
		return nil, iam.Errorf(iam.CodeUnauthorized, "the provider %s takes no authorization codes", p.Name)
	}
	return x.ExchangeCode(ctx, in.Code, in.RedirectURL)
}

func (s *Service) connectors() *social.Connectors {
	s.socialOnce.Do(func() {
		if s.Social == nil {
			s.Social = &social.Connectors{}
		}
	})
	return s.Social
}

// signInIdentity finds, links or creates the user of id (see SocialSignIn).
func (s *Service) signInIdentity(ctx context.Context, realm *iam.Realm, p *iam.SocialProvider, id *social.Identity, in SocialLogin) (*SocialSignedIn, error) {
	out := &SocialSignedIn{Provider: p, Identity: id, Existing: true}
	sc := s.Store.Realm(realm.ID)
	cred, err := sc.Credentials().FindSocial(ctx, p.Name, id.Subject)
	switch {
	case err == nil:
		u, err := sc.Users().Get(ctx, cred.UserID)
		if err == nil && !u.Deleted() {
			out.User = u
			return out, s.socialSucceeded(ctx, realm, p, u, in.IP)
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, store.AsIAM(err, "user", "")
		}
		// Its user was deleted: the identity is free to sign up again.
		if err := sc.Credentials().Delete(ctx, cred.ID); err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, store.AsIAM(err, "credential", "")
		}
	case !errors.Is(err, store.ErrNotFound):
		return nil, store.AsIAM(err, "credential", "")
	}

	email, _ := iam.NormalizeEmail(id.Email) // an address iamd cannot store is left out
	if email != "" {
		u, _, err := s.Directory.UsersByContact(ctx, realm, email, "")
		if err != nil {
			return nil, err
		}
		if u != nil {
			if err := socialLinkable(u, id); err != nil {
				return nil, err
			}
			// A user who may not sign in gets no new link either.
			if err := socialUsable(u, s.now()); err != nil {
				return nil, err
			}
			if err := s.linkSocial(ctx, realm, p, u, id, nil); err != nil {
				return nil, err
			}
			out.User = u
			return out, s.socialSucceeded(ctx, realm, p, u, in.IP)
		}
	}

	nu := directory.NewUser{
		Username: email, Email: email, EmailVerified: email != "" && id.EmailVerified,
		FirstName: socialName(id.FirstName, in.FirstName), LastName: socialName(id.LastName, in.LastName),
		Profile: iam.Profile{Source: in.Source},
	}
	if nu.Username == "" {
		nu.Username = socialUsername(p.Name, id.Subject)
	}
	pu, err := s.Directory.PrepareUser(ctx, realm, nu)
	if err != nil {
		return nil, err
	}
	if err := s.linkSocial(ctx, realm, p, pu.User, id, pu); err != nil {
		return nil, err
	}
	out.User, out.Existing = pu.User, false
	return out, s.socialSucceeded(ctx, realm, p, pu.User, in.IP)
}

// socialLinkable says whether id may be linked to u, the user with its e-mail.
func socialLinkable(u *iam.User, id *social.Identity) error {
	switch {
	case !id.EmailVerified:
		return iam.Errorf(iam.CodeUnauthorized, "an account with this e-mail address exists, and the provider has not verified the address: it is not linked")
	case !u.EmailVerified:
		return iam.Errorf(iam.CodeUnauthorized, "an account with this e-mail address exists but has not verified it: sign in to it and verify the address first")
	}
	return nil
}

// linkSocial stores the identity's credential for u, creating u first
// when pu is the prepared new user, in one transaction.
func (s *Service) linkSocial(ctx context.Context, realm *iam.Realm, p *iam.SocialProvider, u *iam.User, id *social.Identity, pu *directory.PreparedUser) error {
	now := s.now()
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		if pu != nil {
			if err := s.Directory.InsertUser(ctx, tx, realm, pu, ""); err != nil {
				return err
			}
		}
		c := &iam.Credential{ID: iam.NewID(), RealmID: realm.ID, UserID: u.ID, Type: iam.CredSocial, Label: p.Name, Secret: id.Subject,
			CreatedAt: now, UpdatedAt: now}
		if id.Email != "" {
			c.Data = map[string]string{"email": id.Email}
		}
		if err := sc.Credentials().Create(ctx, c); err != nil {
			return store.AsIAM(err, "user", "the identity is already linked")
		}
		return sc.Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: iam.EventUserUpdated, UserID: u.ID, ActorID: u.ID,
			Detail: map[string]string{"fields": "social", "provider": p.Name}, CreatedAt: now})
	})
	return store.AsIAM(err, "user", "")
}

// socialSucceeded refuses a user who may not sign in and records the
// sign-in of one who may.
func (s *Service) socialSucceeded(ctx context.Context, realm *iam.Realm, p *iam.SocialProvider, u *iam.User, ip string) error {
	now := s.now()
	if err := socialUsable(u, now); err != nil {
		return err
	}
	_ = s.Store.Realm(realm.ID).Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: iam.EventLoginSucceeded, UserID: u.ID, IP: ip,
		Detail: map[string]string{"via": "social", "provider": p.Name}, CreatedAt: now})
	return nil
}

// socialUsable refuses a disabled or locked user.
func socialUsable(u *iam.User, now time.Time) error {
	switch {
	case !u.Enabled:
		return iam.Errorf(iam.CodeUnauthorized, "the account is disabled")
	case u.Lockout.Locked(now):
		return iam.Errorf(iam.CodeUnauthorized, "the account is temporarily locked after too many failed attempts")
	}
	return nil
}

// socialFailed records a refused social sign-in (not an outage).
func (s *Service) socialFailed(ctx context.Context, realm *iam.Realm, p *iam.SocialProvider, ip string, err error) {
	if !iam.IsCode(err, iam.CodeUnauthorized) {
		return
	}
	_ = s.Store.Realm(realm.ID).Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: iam.EventLoginFailed, IP: ip,
		Detail: map[string]string{"via": "social", "provider": p.Name, "reason": socialCut(iam.ErrorMessage(err), 200)}, CreatedAt: s.now()})
}

// socialUsername is the username of a user the provider gives no e-mail
// for: the provider and the subject, or a digest of an overlong subject.
func socialUsername(provider, subject string) string {
	name := strings.ToLower(provider) + "_" + subject
	if utf8.RuneCountInString(name) > 255 || strings.ContainsFunc(subject, unicode.IsControl) {
		sum := sha256.Sum256([]byte(subject))
		name = strings.ToLower(provider) + "_" + hex.EncodeToString(sum[:16])
	}
	return name
}

// socialName is the first of names that is not empty, without control
// characters and cut to 255 characters: a provider's names are not
// checked input, and a user must not fail to be created over them.
func socialName(names ...string) string {
	for _, n := range names {
		n = strings.TrimSpace(strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return -1
			}
			return r
		}, n))
		if n != "" {
			return socialCut(n, 255)
		}
	}
	return ""
}

func socialCut(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	return string([]rune(s)[:max])
}
