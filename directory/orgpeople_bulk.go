package directory

import (
	"context"
	"strconv"
	"strings"

	"iamd/iam"
)

// MaxBulkPeople is how many people one AddPeople call takes.
const MaxBulkPeople = 500

// BulkOutcome is what became of one person of AddPeople: Added on
// success, else Err (an *iam.Error saying why). Nothing of a failed
// person is stored.
type BulkOutcome struct {
	Added *AddedPerson
	Err   error
}

// AddPeople adds or invites each of people to the organization orgRef on
// behalf of actor, as AddPerson does (their OrgRef and Actor are set
// from the arguments). Each person is one transaction, so one person's
// failure neither undoes nor blocks the others; the outcomes are in the
// order of people. A person who appears a second time in the list (same
// user id, e-mail, phone or login) fails without effect.
//
// Errors, for the whole call and before anything changes: CodeInvalid
// ("people") for an empty list or more than MaxBulkPeople; those of
// AdministeredOrganization.
func (s *Service) AddPeople(ctx context.Context, realm *iam.Realm, orgRef string, actor Actor, people []PersonToAdd) ([]BulkOutcome, error) {
	if len(people) == 0 || len(people) > MaxBulkPeople {
		return nil, iam.Invalid("people", "between 1 and %d people are required", MaxBulkPeople)
	}
	o, err := s.AdministeredOrganization(ctx, realm, orgRef, actor)
	if err != nil {
		return nil, err
	}
	out := make([]BulkOutcome, len(people))
	seen := map[string]bool{}
	for i, p := range people {
		p.OrgRef, p.Actor = o.ID, actor
		if dup := personKeys(realm, p); anySeen(seen, dup) {
			out[i].Err = iam.Errorf(iam.CodeConflict, "the same person appears earlier in the list")
			continue
		} else {
			for _, k := range dup {
				seen[k] = true
			}
		}
		if err := ctx.Err(); err != nil {
			out[i].Err = iam.Errorf(iam.CodeUnavailable, "the request was cancelled")
			continue
		}
		out[i].Added, out[i].Err = s.AddPerson(ctx, realm, p)
	}
	return out, nil
}

// personKeys are the identifiers a person of a list is recognised by.
func personKeys(realm *iam.Realm, p PersonToAdd) []string {
	var keys []string
	if p.UserNum > 0 {
		keys = append(keys, "num:"+strconv.FormatInt(p.UserNum, 10))
	}
	if e, err := iam.NormalizeEmail(p.Email); err == nil {
		keys = append(keys, "id:"+iam.FoldKey(e))
	}
	if ph, err := iam.NormalizePhone(p.Phone, realm.Settings.PhoneRegion); err == nil {
		keys = append(keys, "id:"+ph)
	}
	if l := strings.TrimSpace(p.Login); l != "" {
		keys = append(keys, "id:"+iam.FoldKey(l))
	}
	return keys
}

func anySeen(seen map[string]bool, keys []string) bool {
	for _, k := range keys {
		if seen[k] {
			return true
		}
	}
	return false
}
