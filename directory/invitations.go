package directory

import (
	"context"
	"net/url"
	"strings"
	"time"

	"iamd/iam"
	"iamd/notify"
	"iamd/store"
)

// DefaultInvitationTTL is how long an invitation link is valid unless the
// realm attribute InvitationTTLAttribute (a Go duration such as "72h",
// between one minute and 90 days) says otherwise.
const (
	DefaultInvitationTTL   = 7 * 24 * time.Hour
	InvitationTTLAttribute = "invitation_ttl"
)

// NewInvitation asks someone, by e-mail or phone, to join an organization.
type NewInvitation struct {
	OrgRef string // the organization's UUID or numeric id
	Email  string // the message goes here when set
	Phone  string // else here, by SMS; normalised with the realm's phone region
	Roles  []iam.OrgRole
	// InvitedBy is the id of whoever invites (the actor). It may be a user
	// of another realm (an administrator of realm master); when it is a
	// user of this realm the message names them.
	InvitedBy string
	// LinkBase, when set, is the absolute http(s) URL of the accept page;
	// the message carries LinkBase with "token=<token>" appended. When
	// empty the message carries the token itself as its code.
	LinkBase string
}

// IssuedInvitation is the result of Invite. Token is the clear link
// token, returned for the caller that must show it; only its hash is
// stored.
type IssuedInvitation struct {
	Invitation *iam.Invitation
	Token      string
	Message    *iam.Message
}

// Invite creates a pending invitation with a random token and writes the
// invitation message (template purpose "invitation") to the outbox in the
// same transaction. Only iam.HashToken of the token is stored. CodeInvalid
// names the bad field (neither e-mail nor phone, a bad link base, a role
// of an unknown app); CodeNotFound for an unknown organization.
func (s *Service) Invite(ctx context.Context, realm *iam.Realm, in NewInvitation) (*IssuedInvitation, error) {
	var out *IssuedInvitation
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		var err error
		out, err = s.InsertInvitation(ctx, tx, realm, in)
		return err
	})
	if err != nil {
		return nil, store.AsIAM(err, "invitation", "")
	}
	return out, nil
}

// InsertInvitation is Invite through tx, so that a caller can commit the
// invitation together with more (a user created for it, a membership).
// Errors as Invite.
func (s *Service) InsertInvitation(ctx context.Context, tx store.Tx, realm *iam.Realm, in NewInvitation) (*IssuedInvitation, error) {
	inv, channel, to, err := newInvitation(realm, in, s.now())
	if err != nil {
		return nil, err
	}
	if err := checkLinkBase(in.LinkBase); err != nil {
		return nil, err
	}
	token := iam.NewSecret(32)
	inv.TokenHash = iam.HashToken(token)
	data := notify.TemplateData{ExpiresInMinutes: int(inv.ExpiresAt.Sub(inv.CreatedAt).Minutes())}
	if in.LinkBase != "" {
		data.Link = withToken(in.LinkBase, token)
	} else {
		data.Code = token
	}
	sc := tx.Realm(realm.ID)
	o, err := liveOrg(ctx, sc, in.OrgRef)
	if err != nil {
		return nil, err
	}
	inv.OrgID = o.ID
	if inv.Roles, err = normalizeOrgRoles(ctx, sc, in.Roles); err != nil {
		return nil, err
	}
	data.Organization, data.InvitedBy = o.DisplayName, inviterName(ctx, sc, in.InvitedBy)
	msg, err := s.Templates.Message(realm, channel, to, iam.PurposeInvitation, data)
	if err != nil {
		return nil, iam.Internal(err)
	}
	msg.CreatedAt, msg.NextAttemptAt = inv.CreatedAt, inv.CreatedAt
	if err := sc.Invitations().Create(ctx, inv); err != nil {
		return nil, store.AsIAM(err, "organization", "")
	}
	// The code row is what makes acceptance happen once: Consume lets
	// exactly one of racing transactions through on every backend.
	lock := &iam.OneTimeCode{
		ID: iam.NewID(), RealmID: realm.ID, Purpose: iam.PurposeInvitation, Target: to,
		Hash: inv.TokenHash, Handle: iam.NewSecret(24), AttemptsLeft: 1,
		Data: map[string]string{"invitation_id": inv.ID}, CreatedAt: inv.CreatedAt, ExpiresAt: inv.ExpiresAt,
	}
	if err := sc.Codes().Create(ctx, lock); err != nil {
		return nil, err
	}
	if err := sc.Messages().Enqueue(ctx, msg); err != nil {
		return nil, err
	}
	e := orgEvent(realm, iam.EventInvitationCreated, o, "", in.InvitedBy, inv.CreatedAt)
	e.Detail["invitation_id"], e.Detail["channel"] = inv.ID, channel
	if err := sc.Events().Append(ctx, e); err != nil {
		return nil, err
	}
	return &IssuedInvitation{Invitation: inv, Token: token, Message: msg}, nil
}

// newInvitation checks the addressee and builds the record; it returns
// the channel and address the message goes to.
func newInvitation(realm *iam.Realm, in NewInvitation, now time.Time) (inv *iam.Invitation, channel, to string, err error) {
	inv = &iam.Invitation{
		ID: iam.NewID(), RealmID: realm.ID, InvitedBy: in.InvitedBy, Status: iam.InvitePending,
		CreatedAt: now, ExpiresAt: now.Add(invitationTTL(realm)),
	}
	if strings.TrimSpace(in.Email) == "" && strings.TrimSpace(in.Phone) == "" {
		return nil, "", "", iam.Invalid("email", "an e-mail address or a phone number is required")
	}
	if strings.TrimSpace(in.Email) != "" {
		if inv.Email, err = iam.NormalizeEmail(in.Email); err != nil {
			return nil, "", "", err
		}
	}
	if strings.TrimSpace(in.Phone) != "" {
		if inv.Phone, err = iam.NormalizePhone(in.Phone, realm.Settings.PhoneRegion); err != nil {
			return nil, "", "", err
		}
	}
	if len(in.InvitedBy) > 64 {
		return nil, "", "", iam.Invalid("invitedBy", "invitedBy is not a user id")
	}
	if inv.Email != "" {
		return inv, iam.ChannelEmail, inv.Email, nil
	}
	return inv, iam.ChannelSMS, inv.Phone, nil
}

func invitationTTL(realm *iam.Realm) time.Duration {
	if v, ok := realm.Settings.Attributes[InvitationTTLAttribute]; ok {
		if d, err := time.ParseDuration(v); err == nil && d >= time.Minute && d <= 90*24*time.Hour {
			return d
		}
	}
	return DefaultInvitationTTL
}

func checkLinkBase(base string) error {
	if base == "" {
		return nil
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Fragment != "" || len(base) > 2000 {
		return iam.Invalid("linkBase", "the link base must be an absolute http(s) URL without a fragment")
	}
	return nil
}

func withToken(base, token string) string {
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "token=" + token
}

// inviterName is how the message names the inviter: their full name or
// username when they are a live user of the realm, else nothing.
func inviterName(ctx context.Context, sc store.Scope, id string) string {
	if !iam.ValidID(id) {
		return ""
	}
	u, err := sc.Users().Get(ctx, id)
	if err != nil || u.Deleted() {
		return ""
	}
	if name := strings.TrimSpace(u.FirstName + " " + u.LastName); name != "" {
		return name
	}
	return u.Username
}

// invitationLock returns the code row that guards the invitation's single
// use, or ErrNotFound.
func invitationLock(ctx context.Context, sc store.Scope, inv *iam.Invitation) (*iam.OneTimeCode, error) {
	c, err := sc.Codes().GetByHash(ctx, inv.TokenHash, iam.PurposeInvitation)
	if err == nil && c.Data["invitation_id"] != inv.ID {
		return nil, store.ErrNotFound
	}
	return c, err
}

// spendInvitation consumes the invitation's lock; ErrConflict when another
// transaction accepted or revoked it first.
func spendInvitation(ctx context.Context, sc store.Scope, inv *iam.Invitation, now time.Time) error {
	c, err := invitationLock(ctx, sc, inv)
	if err != nil {
		return err
	}
	return sc.Codes().Consume(ctx, c.ID, now)
}
