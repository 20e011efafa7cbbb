package directory

import (
	"context"
	"errors"
	"slices"
	"strings"

	"iamd/iam"
	"iamd/store"
)

// SwitchInput names where a user wants tokens re-issued to: "switch
// tenant", "switch client" and the app token of document 000.
type SwitchInput struct {
	UserID string
	// OrgRef is the organization (UUID or numeric id); "" for none.
	OrgRef string
	// App is the app (client id, or display name when unique).
	App string
	// OpenApps are client ids every live user of the realm may have tokens
	// for (a surface's own apps, which sign-in issues tokens for without
	// any role). Any other app needs a role of the user's membership in
	// the organization for it, so a user cannot mint tokens for an app
	// nobody gave them.
	OpenApps []string
}

// SwitchTarget is the organization (nil for none) and app the tokens are
// to speak for.
type SwitchTarget struct {
	Org *iam.Organization
	App *iam.App
}

// Fields of SwitchTarget's permission errors, which say which check
// failed: the organization or the app.
const (
	SwitchFieldOrg = "org"
	SwitchFieldApp = "app"
)

// SwitchTarget checks that in.UserID may have tokens for in.App in
// in.OrgRef and returns both. Errors:
//   - CodeForbidden with Field SwitchFieldOrg: the organization is
//     unknown, deleted, or the user is not an active member of it (one
//     answer, so that the call does not tell which organizations exist);
//   - CodeForbidden with Field SwitchFieldApp: the app is not open and the
//     membership holds no role for it (or there is no organization);
//   - CodeNotFound: no live app is called in.App, or the user is gone;
//   - CodePrecondition: the app is disabled;
//   - CodeInvalid (Field "app"): in.App is empty or names several apps.
func (s *Service) SwitchTarget(ctx context.Context, realm *iam.Realm, in SwitchInput) (*SwitchTarget, error) {
	sc := s.Store.Realm(realm.ID)
	if _, err := liveUser(ctx, sc, in.UserID); err != nil {
		return nil, err
	}
	var t SwitchTarget
	var m *iam.Membership
	if strings.TrimSpace(in.OrgRef) != "" {
		o, err := liveOrg(ctx, sc, in.OrgRef)
		if iam.IsCode(err, iam.CodeNotFound) {
			return nil, notMemberError()
		}
		if err != nil {
			return nil, err
		}
		m, err = sc.Organizations().GetMember(ctx, o.ID, in.UserID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && !m.Active()) {
			return nil, notMemberError()
		}
		if err != nil {
			return nil, store.AsIAM(err, "membership", "")
		}
		t.Org = o
	}
	app, err := resolveApp(ctx, sc, in.App)
	if err != nil {
		return nil, err
	}
	if !app.Enabled {
		return nil, iam.Errorf(iam.CodePrecondition, "the app %s is disabled", app.ClientID)
	}
	if !slices.Contains(in.OpenApps, app.ClientID) && !holdsAppRole(m, app.ClientID) {
		return nil, &iam.Error{Code: iam.CodeForbidden, Field: SwitchFieldApp,
			Message: "the user has no role in app " + app.ClientID + " in this organization"}
	}
	t.App = app
	return &t, nil
}

func notMemberError() *iam.Error {
	return &iam.Error{Code: iam.CodeForbidden, Field: SwitchFieldOrg, Message: "the user is not a member of the organization"}
}

// holdsAppRole reports whether m (nil for no organization) gives a role in
// the app with clientID.
func holdsAppRole(m *iam.Membership, clientID string) bool {
	if m == nil {
		return false
	}
	return slices.ContainsFunc(m.Roles, func(r iam.OrgRole) bool { return r.App == clientID })
}
