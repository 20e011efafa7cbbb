package authn

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"iamd/directory"
	"iamd/iam"
	"iamd/store"
)

// EmailLinkTTL is how long an e-mail verification link is valid: longer
// than a typed code, since mail may wait unread for a while.
const EmailLinkTTL = 24 * time.Hour

// SignUp is a self-service registration.
type SignUp struct {
	User directory.NewUser
	// Organization, when set, names an organization created with the
	// user, who becomes its member with OrgRoles. When another live
	// organization already has the name, the stored name gets a short
	// suffix (the display name stays as given), so that two companies of
	// the same name can both sign up.
	Organization string
	OrgRoles     []iam.OrgRole
	// VerifyLink, when set, is the absolute URL of the e-mail
	// verification endpoint: the user (who must have an e-mail) is sent
	// VerifyLink with "user=<numeric id>&token=<token>" appended; see
	// VerifyEmailLink.
	VerifyLink string
	IP         string // the per-IP throttle applies, as to sign-in
}

// SignedUp is the result of SignUp. Verification is nil without a link.
type SignedUp struct {
	User         *iam.User
	Organization *iam.Organization
	Verification *IssuedCode
}

// SignUp creates the user, the organization (if asked) with the user as
// its member, and the verification message in one transaction: all of it
// commits or none. The user's password meets the realm's policy.
//
// Errors: CodeRateLimited; CodeInvalid naming the bad field (as
// directory.CreateUser and CreateOrganization name them; "email" when a
// verification link is asked for a user without an e-mail); CodeConflict
// when the username, e-mail or phone is taken.
func (s *Service) SignUp(ctx context.Context, realm *iam.Realm, in SignUp) (*SignedUp, error) {
	if !s.Throttle.Allow(in.IP, s.now()) {
		return nil, iam.Errorf(iam.CodeRateLimited, "too many attempts from this address, try again later")
	}
	pu, err := s.Directory.PrepareUser(ctx, realm, in.User)
	if err != nil {
		return nil, err
	}
	if in.VerifyLink != "" && pu.User.Email == "" {
		return nil, iam.Invalid("email", "an e-mail address is required to verify it")
	}
	orgName := ""
	if strings.TrimSpace(in.Organization) != "" {
		if orgName, err = s.Directory.FreeOrganizationName(ctx, realm, in.Organization); err != nil {
			return nil, err
		}
	}
	out := &SignedUp{User: pu.User}
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		if err := s.Directory.InsertUser(ctx, tx, realm, pu, ""); err != nil {
			return err
		}
		if orgName != "" {
			o, err := s.Directory.InsertOrganization(ctx, tx, realm, directory.NewOrganization{
				Name: orgName, DisplayName: in.Organization, CreatorID: pu.User.ID, CreatorRoles: in.OrgRoles,
			}, pu.User.ID)
			if err != nil {
				return err
			}
			out.Organization = o
		}
		if in.VerifyLink == "" {
			return nil
		}
		var err error
		out.Verification, err = s.issueEmailLink(ctx, tx, realm, pu.User, in.VerifyLink)
		return err
	})
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	return out, nil
}

// issueEmailLink writes a verification link for u's e-mail through tx.
func (s *Service) issueEmailLink(ctx context.Context, tx store.Tx, realm *iam.Realm, u *iam.User, link string) (*IssuedCode, error) {
	sep := "?"
	if strings.Contains(link, "?") {
		sep = "&"
	}
	return s.IssueCode(ctx, tx, CodeRequest{
		Realm: realm, UserID: u.ID, Purpose: iam.PurposeVerifyEmail, Channel: iam.ChannelEmail, To: u.Email,
		LinkBase: link + sep + "user=" + strconv.FormatInt(u.Num, 10), Username: u.Username, TTL: EmailLinkTTL,
	})
}

// ResendEmailVerification sends the live user with e-mail address email a
// new verification link (see SignUp's VerifyLink). Earlier links stay
// valid until they expire.
//
// Errors: CodeRateLimited; CodeInvalid ("email") for a malformed
// address; CodeNotFound when no user has it; CodePrecondition when it is
// already verified.
func (s *Service) ResendEmailVerification(ctx context.Context, realm *iam.Realm, email, link, ip string) (*IssuedCode, error) {
	if !s.Throttle.Allow(ip, s.now()) {
		return nil, iam.Errorf(iam.CodeRateLimited, "too many attempts from this address, try again later")
	}
	if strings.TrimSpace(email) == "" {
		return nil, iam.Invalid("email", "email is required")
	}
	u, _, err := s.Directory.UsersByContact(ctx, realm, email, "")
	if err != nil {
		return nil, err
	}
	if u == nil {
		return nil, iam.NotFound("user")
	}
	if u.EmailVerified {
		return nil, iam.Errorf(iam.CodePrecondition, "the e-mail address is already verified")
	}
	var ic *IssuedCode
	err = s.Store.InTx(ctx, func(tx store.Tx) error {
		ic, err = s.issueEmailLink(ctx, tx, realm, u, link)
		return err
	})
	return ic, store.AsIAM(err, "user", "")
}

// VerifyEmailLink accepts the token of a verification link of user (the
// link's "user": the numeric id, or the UUID) and marks the user's e-mail
// verified. A link works once.
//
// Errors: CodeNotFound for a token that is unknown, already used, of
// another user, or for an address the user no longer has; CodeExpired for
// an expired one.
func (s *Service) VerifyEmailLink(ctx context.Context, realm *iam.Realm, user, token string) (*iam.User, error) {
	invalid := iam.NotFound("verification link")
	if token == "" || len(token) > 128 || user == "" || len(user) > 64 {
		return nil, invalid
	}
	now := s.now()
	var u *iam.User
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		c, err := sc.Codes().GetByHash(ctx, iam.HashToken(token), iam.PurposeVerifyEmail)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (c.ConsumedAt != nil || c.UserID == "")) {
			return invalid
		}
		if err != nil {
			return err
		}
		u, err = sc.Users().Get(ctx, c.UserID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && (u.Deleted() || (user != u.ID && user != strconv.FormatInt(u.Num, 10)))) {
			return invalid
		}
		if err != nil {
			return err
		}
		if !now.Before(c.ExpiresAt) {
			return iam.Errorf(iam.CodeExpired, "the verification link has expired; request a new one")
		}
		if iam.FoldKey(u.Email) != iam.FoldKey(c.Target) {
			return invalid
		}
		if err := sc.Codes().Consume(ctx, c.ID, now); errors.Is(err, store.ErrConflict) {
			return invalid
		} else if err != nil {
			return err
		}
		return s.markVerified(ctx, sc, realm, u, true, now)
	})
	if err != nil {
		return nil, store.AsIAM(err, "verification link", "")
	}
	return u, nil
}

// markVerified records that the user proved their e-mail (email true) or
// phone, clearing the matching required action.
func (s *Service) markVerified(ctx context.Context, sc store.Scope, realm *iam.Realm, u *iam.User, email bool, now time.Time) error {
	field := "phoneVerified"
	if email {
		field = "emailVerified"
		u.EmailVerified = true
		u.RequiredActions = without(u.RequiredActions, iam.ActionVerifyEmail)
	} else {
		u.PhoneVerified = true
	}
	u.UpdatedAt = now
	if err := sc.Users().Update(ctx, u); err != nil {
		return store.AsIAM(err, "user", "")
	}
	return sc.Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: iam.EventUserUpdated, UserID: u.ID, ActorID: u.ID,
		Detail: map[string]string{"fields": field}, CreatedAt: now})
}

func without(list []string, v string) []string {
	if list == nil {
		return nil
	}
	return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return s == v })
}
