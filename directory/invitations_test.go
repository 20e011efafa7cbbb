package directory_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"iamd/directory"
	"iamd/iam"
	"iamd/store"
)

func TestInviteEnqueuesTheLinkAndAcceptOnce(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		f.app(t, f.realm, "erp", "ERP")
		o := f.org(t, f.realm, "Deskera")
		admin := f.user(t, f.realm, "admin")
		iss, err := f.s.Invite(f.ctx, f.realm, directory.NewInvitation{
			OrgRef: o.ID, Email: " New@Example.com ", Roles: []iam.OrgRole{{App: "ERP", Role: "user"}},
			InvitedBy: admin.ID, LinkBase: "https://app.example.com/join?lang=en",
		})
		if err != nil {
			t.Fatal(err)
		}
		inv := iss.Invitation
		if inv.Status != iam.InvitePending || inv.TokenHash != iam.HashToken(iss.Token) || strings.Contains(inv.TokenHash, iss.Token) {
			t.Fatalf("invitation must store only the token hash: %+v", inv)
		}
		if d := inv.ExpiresAt.Sub(inv.CreatedAt); d != directory.DefaultInvitationTTL {
			t.Fatalf("expiry: %v", d)
		}
		msgs, err := f.s.Store.Outbox().Claim(f.ctx, time.Now().Add(time.Minute), time.Minute, 10)
		if err != nil || len(msgs) != 1 {
			t.Fatalf("outbox: %v %v", msgs, err)
		}
		msg := msgs[0]
		wantLink := "https://app.example.com/join?lang=en&token=" + iss.Token
		if msg.Channel != iam.ChannelEmail || msg.To != "New@Example.com" || msg.Purpose != iam.PurposeInvitation ||
			msg.Link != wantLink || !strings.Contains(msg.Text, wantLink) || !strings.Contains(msg.Subject, "Deskera") || msg.RealmID != f.realm.ID {
			t.Fatalf("invitation message: %+v", msg)
		}
		if len(f.events(t, f.realm, iam.EventInvitationCreated)) != 1 {
			t.Fatal("no invitation.created event")
		}

		joiner := f.user(t, f.realm, "joiner")
		_, err = f.s.AcceptInvitation(f.ctx, f.other, iss.Token, joiner.ID)
		wantCode(t, err, iam.CodeNotFound, "token used in another realm")
		_, err = f.s.AcceptInvitation(f.ctx, f.realm, iss.Token+"x", joiner.ID)
		wantCode(t, err, iam.CodeNotFound, "wrong token")
		m, err := f.s.AcceptInvitation(f.ctx, f.realm, iss.Token, joiner.ID)
		if err != nil || m.OrgID != o.ID || len(m.Roles) != 1 || m.Roles[0] != (iam.OrgRole{App: "erp", Role: "user"}) {
			t.Fatalf("accept: %+v %v", m, err)
		}
		got, err := f.s.InvitationByToken(f.ctx, f.realm, iss.Token)
		if err != nil || got.Status != iam.InviteAccepted || got.UserID != joiner.ID || got.AcceptedAt == nil {
			t.Fatalf("accepted invitation: %+v %v", got, err)
		}
		_, err = f.s.AcceptInvitation(f.ctx, f.realm, iss.Token, joiner.ID)
		wantCode(t, err, iam.CodePrecondition, "accept twice")
		wantCode(t, f.s.RevokeInvitation(f.ctx, f.realm, inv.ID, ""), iam.CodePrecondition, "revoke an accepted invitation")
	})
}

func TestRacingAcceptsHaveOneWinner(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		o := f.org(t, f.realm, "Deskera")
		iss, err := f.s.Invite(f.ctx, f.realm, directory.NewInvitation{OrgRef: o.ID, Email: "x@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		const n = 8
		users := make([]*iam.User, n)
		for i := range users {
			users[i] = f.user(t, f.realm, "racer"+string(rune('a'+i)))
		}
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { _, errs[i] = f.s.AcceptInvitation(f.ctx, f.realm, iss.Token, users[i].ID) })
		}
		wg.Wait()
		wins := 0
		for i, err := range errs {
			switch {
			case err == nil:
				wins++
			case !iam.IsCode(err, iam.CodePrecondition):
				t.Fatalf("racer %d: want failed_precondition, got %v", i, err)
			}
		}
		_, total, err := f.s.Members(f.ctx, f.realm, o.ID, store.Page{})
		if wins != 1 || total != 1 || err != nil {
			t.Fatalf("want one winner and one member, got %d winners, %d members (%v)", wins, total, err)
		}
	})
}

func TestInvitationExpiryRevocationAndValidation(t *testing.T) {
	onBoth(t, func(t *testing.T, f *fixture) {
		now := time.Now().UTC().Truncate(time.Microsecond)
		f.s.Now = func() time.Time { return now }
		o := f.org(t, f.realm, "Deskera")
		u := f.user(t, f.realm, "joiner")

		f.realm.Settings.Attributes = map[string]string{directory.InvitationTTLAttribute: "1h"}
		iss, err := f.s.Invite(f.ctx, f.realm, directory.NewInvitation{OrgRef: o.ID, Email: "late@example.com"})
		if err != nil || !iss.Invitation.ExpiresAt.Equal(now.Add(time.Hour)) {
			t.Fatalf("realm ttl override: %+v %v", iss, err)
		}
		now = now.Add(time.Hour)
		_, err = f.s.AcceptInvitation(f.ctx, f.realm, iss.Token, u.ID)
		wantCode(t, err, iam.CodeExpired, "accept at the expiry")
		now = now.Add(-time.Minute)

		second, err := f.s.Invite(f.ctx, f.realm, directory.NewInvitation{OrgRef: o.ID, Phone: "+4915123456789"})
		if err != nil || second.Message.Channel != iam.ChannelSMS || second.Message.Code != second.Token || second.Message.Link != "" {
			t.Fatalf("an invitation by phone without a link base carries the token as code: %+v %v", second, err)
		}
		if err := f.s.RevokeInvitation(f.ctx, f.realm, second.Invitation.ID, ""); err != nil {
			t.Fatal(err)
		}
		_, err = f.s.AcceptInvitation(f.ctx, f.realm, second.Token, u.ID)
		wantCode(t, err, iam.CodePrecondition, "accept a revoked invitation")
		wantCode(t, f.s.RevokeInvitation(f.ctx, f.realm, second.Invitation.ID, ""), iam.CodePrecondition, "revoke twice")
		wantCode(t, f.s.RevokeInvitation(f.ctx, f.other, iss.Invitation.ID, ""), iam.CodeNotFound, "revoke through another realm")
		wantCode(t, f.s.RevokeInvitation(f.ctx, f.realm, "bogus", ""), iam.CodeNotFound, "malformed id")

		before, _ := f.s.Store.Outbox().Pending(f.ctx)
		for _, c := range []struct {
			in    directory.NewInvitation
			field string
		}{
			{directory.NewInvitation{OrgRef: o.ID}, "email"},
			{directory.NewInvitation{OrgRef: o.ID, Email: "not an address"}, "email"},
			{directory.NewInvitation{OrgRef: o.ID, Phone: "12"}, "phone"},
			{directory.NewInvitation{OrgRef: o.ID, Email: "a@example.com", LinkBase: "javascript:alert(1)"}, "linkBase"},
			{directory.NewInvitation{OrgRef: o.ID, Email: "a@example.com", Roles: []iam.OrgRole{{App: "nope", Role: "x"}}}, "roles"},
		} {
			_, err := f.s.Invite(f.ctx, f.realm, c.in)
			wantField(t, err, c.field, "invite "+c.field)
		}
		_, err = f.s.Invite(f.ctx, f.other, directory.NewInvitation{OrgRef: o.ID, Email: "a@example.com"})
		wantCode(t, err, iam.CodeNotFound, "organization of another realm")
		after, _ := f.s.Store.Outbox().Pending(f.ctx)
		list, err := f.s.ListInvitations(f.ctx, f.realm, o.ID, store.Page{})
		if after != before || err != nil || len(list) != 2 {
			t.Fatalf("refused invitations must write nothing: outbox %d→%d, %d invitations %v", before, after, len(list), err)
		}
		_, err = f.s.ListInvitations(f.ctx, f.realm, "", store.Page{Offset: -1})
		wantField(t, err, "offset", "negative offset")
	})
}
