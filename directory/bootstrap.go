package directory

import (
	"context"
	"errors"

	"iamd/iam"
	"iamd/store"
)

// Names of what the first start creates.
const (
	MasterRealm   = "master"
	DefaultRealm  = "default"
	AdminCLI      = "admin-cli"
	DefaultAdmin  = "admin"
	generatedSize = 24
)

// BootstrapResult tells the caller what the first start created, so that a
// generated admin password can be shown exactly once.
type BootstrapResult struct {
	CreatedAdmin      bool
	AdminUsername     string
	GeneratedPassword string // "" unless iamd made the password up
}

// Bootstrap makes sure realm master holds an admin user (realm role admin)
// and the public app admin-cli (password grant), and that realm default
// exists. It is idempotent: once realm master has any holder of the admin
// role, no admin is created again, whatever the options say. Two servers
// bootstrapping the same database at once converge on one set of records.
func (s *Service) Bootstrap(ctx context.Context, adminUser, adminPassword string) (*BootstrapResult, error) {
	master, err := s.EnsureRealm(ctx, MasterRealm, "iamd administration")
	if err != nil {
		return nil, err
	}
	if _, err := s.EnsureRealm(ctx, DefaultRealm, "Default"); err != nil {
		return nil, err
	}
	if err := s.ensureAdminCLI(ctx, master); err != nil {
		return nil, err
	}
	res := &BootstrapResult{}
	sc := s.Store.Realm(master.ID)
	if role, err := sc.Roles().GetByName(ctx, "", iam.RoleAdmin); err == nil {
		holders, err := sc.Roles().Users(ctx, role.ID, store.Page{Limit: 1})
		if err != nil {
			return nil, store.AsIAM(err, "role", "")
		}
		if len(holders) > 0 {
			res.AdminUsername = holders[0].Username
			return res, nil
		}
	} else if !errors.Is(err, store.ErrNotFound) {
		return nil, store.AsIAM(err, "role", "")
	}
	if adminUser == "" {
		adminUser = DefaultAdmin
	}
	if adminPassword == "" {
		adminPassword = iam.NewPassword(generatedSize)
		res.GeneratedPassword = adminPassword
	}
	_, err = s.CreateUser(ctx, master, NewUser{
		Username: adminUser, Password: adminPassword, RealmRoles: []string{iam.RoleAdmin},
		Profile: iam.Profile{Source: "bootstrap"},
	}, "")
	if iam.IsCode(err, iam.CodeConflict) {
		// Another server won the race, or a user of that name exists
		// without the role: make it the admin rather than fail to start.
		u, ferr := sc.Users().Find(ctx, adminUser)
		if ferr != nil {
			return nil, store.AsIAM(ferr, "user", "")
		}
		res.GeneratedPassword = ""
		res.AdminUsername = u.Username
		return res, store.AsIAM(grantRealmRole(ctx, sc, master.ID, u.ID, iam.RoleAdmin, s.now()), "role", "")
	}
	if err != nil {
		return nil, err
	}
	res.CreatedAdmin, res.AdminUsername = true, adminUser
	return res, nil
}

// EnsureRealm returns the realm named name, creating it (enabled, with
// default settings and display name display) when it does not exist yet.
// Two servers ensuring the same realm at once converge on one.
// CodeInvalid for a bad name.
func (s *Service) EnsureRealm(ctx context.Context, name, display string) (*iam.Realm, error) {
	r, err := s.Store.Realms().GetByName(ctx, name)
	if err == nil {
		return r, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, store.AsIAM(err, "realm", "")
	}
	r, err = s.CreateRealm(ctx, name, display)
	if iam.IsCode(err, iam.CodeConflict) {
		r, err = s.Store.Realms().GetByName(ctx, name)
		return r, store.AsIAM(err, "realm", "")
	}
	return r, err
}

// EnsureApp returns the live app of the realm with client id in.ClientID,
// registering it from in when there is none (a confidential app's
// generated secret is then discarded: ensured apps are public or get
// their secret set later). An existing app is returned as it is, even
// when it differs from in. Two servers ensuring the same app at once
// converge on one.
func (s *Service) EnsureApp(ctx context.Context, realm *iam.Realm, in NewApp) (*iam.App, error) {
	apps := s.Store.Realm(realm.ID).Apps()
	a, err := apps.GetByClientID(ctx, in.ClientID)
	if err == nil {
		return a, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return nil, store.AsIAM(err, "app", "")
	}
	a, _, err = s.CreateApp(ctx, realm, in, "")
	if iam.IsCode(err, iam.CodeConflict) {
		a, err = apps.GetByClientID(ctx, in.ClientID)
		return a, store.AsIAM(err, "app", "")
	}
	return a, err
}

func (s *Service) ensureAdminCLI(ctx context.Context, master *iam.Realm) error {
	_, err := s.EnsureApp(ctx, master, NewApp{
		ClientID: AdminCLI, Name: "iamd admin CLI", Public: true,
		GrantTypes: []string{iam.GrantPassword, iam.GrantRefreshToken},
	})
	return err
}
