package directory

import (
	"context"

	"iamd/iam"
	"iamd/store"
)

// MaxRegisteredLookup bounds the addresses one RegisteredContacts call
// looks up (e-mails and phones together): an address book, not a dump of
// the realm.
const MaxRegisteredLookup = 500

// RegisteredContacts returns the live users of the realm whose e-mail is
// one of emails or whose phone is one of phones (matched exactly; phones
// normalised with the realm's region), each once, in the order the
// addresses were given. It answers "which of my contacts use this
// service?": entries that are not an e-mail address or phone number are
// skipped, as an address book holds such entries and they cannot match.
// Users of other realms are never seen.
//
// Errors: CodeInvalid ("emails" or "phones") for more than
// MaxRegisteredLookup entries in all or an entry longer than 320 bytes.
func (s *Service) RegisteredContacts(ctx context.Context, realm *iam.Realm, emails, phones []string) ([]*iam.User, error) {
	if len(emails)+len(phones) > MaxRegisteredLookup {
		field := "phones"
		if len(emails) > MaxRegisteredLookup {
			field = "emails"
		}
		return nil, iam.Invalid(field, "at most %d e-mails and phones can be looked up at once", MaxRegisteredLookup)
	}
	for _, l := range []struct {
		field string
		list  []string
	}{{"emails", emails}, {"phones", phones}} {
		for _, v := range l.list {
			if len(v) > 320 {
				return nil, iam.Invalid(l.field, "%s holds an entry longer than 320 characters", l.field)
			}
		}
	}
	var out []*iam.User
	seen := map[string]bool{}
	add := func(u *iam.User) {
		if u != nil && !seen[u.ID] {
			seen[u.ID] = true
			out = append(out, u)
		}
	}
	for _, e := range emails {
		if e, err := iam.NormalizeEmail(e); err == nil {
			u, err := s.userWhere(ctx, realm, store.UserQuery{Email: e})
			if err != nil {
				return nil, err
			}
			add(u)
		}
	}
	for _, p := range phones {
		if p, err := iam.NormalizePhone(p, realm.Settings.PhoneRegion); err == nil {
			u, err := s.userWhere(ctx, realm, store.UserQuery{Phone: p})
			if err != nil {
				return nil, err
			}
			add(u)
		}
	}
	return out, nil
}
