package directory

import (
	"context"
	"errors"
	"strings"

	"iamd/iam"
	"iamd/store"
)

// resolveApp finds a live app of the realm by ref: its client id (exact)
// first, else its display name (case-insensitive) when exactly one live app
// has that name. Document 000 names apps ("ERP"), documents 001 and 002 use
// client ids; both reach the same app. CodeNotFound when nothing matches,
// CodeInvalid when a name is ambiguous.
func resolveApp(ctx context.Context, sc store.Scope, ref string) (*iam.App, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil, iam.Invalid("app", "app is required")
	}
	if len(ref) > 255 {
		return nil, iam.NotFound("app")
	}
	a, err := sc.Apps().GetByClientID(ctx, ref)
	if err == nil {
		return a, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, store.AsIAM(err, "app", "")
	}
	list, _, err := sc.Apps().List(ctx, store.AppQuery{Search: ref, Page: store.Page{Limit: 1000}})
	if err != nil {
		return nil, store.AsIAM(err, "app", "")
	}
	var found *iam.App
	for _, c := range list {
		if c.DeletedAt != nil || !strings.EqualFold(c.Name, ref) {
			continue
		}
		if found != nil {
			return nil, iam.Invalid("app", "more than one app is named %q; use its client id", ref)
		}
		found = c
	}
	if found == nil {
		return nil, iam.NotFound("app " + truncate(ref))
	}
	return found, nil
}

// normalizeOrgRoles checks organization roles and returns them in stored
// form: App is the client id of a live app of the realm (given as client id
// or name), Role is a non-empty name (document 000's roleGroup; it need not
// exist as an app role), ShortCode is optional. Duplicates are dropped.
func normalizeOrgRoles(ctx context.Context, sc store.Scope, roles []iam.OrgRole) ([]iam.OrgRole, error) {
	out := make([]iam.OrgRole, 0, len(roles))
	apps := map[string]string{}
	seen := map[[2]string]bool{}
	for _, r := range roles {
		r.Role = strings.TrimSpace(r.Role)
		r.ShortCode = strings.TrimSpace(r.ShortCode)
		if err := checkText("roles", r.Role, 255, true); err != nil {
			return nil, iam.Invalid("roles", "every role needs a name of at most 255 characters")
		}
		if err := checkText("roles", r.ShortCode, 64, false); err != nil {
			return nil, err
		}
		clientID, ok := apps[r.App]
		if !ok {
			a, err := resolveApp(ctx, sc, r.App)
			if err != nil {
				if iam.IsCode(err, iam.CodeNotFound) {
					return nil, iam.Invalid("roles", "app %q is not an app of this realm", truncate(r.App))
				}
				if iam.IsCode(err, iam.CodeInvalid) {
					return nil, iam.Invalid("roles", "%s", iam.ErrorMessage(err))
				}
				return nil, err
			}
			clientID, apps[r.App] = a.ClientID, a.ClientID
		}
		r.App = clientID
		key := [2]string{r.App, r.Role}
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, r)
	}
	return out, nil
}
