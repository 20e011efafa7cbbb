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
	master, err := s.ensureRealm(ctx, MasterRealm, "iamd administration")
	if err != nil {
		return nil, err
	}
	if _, err := s.ensureRealm(ctx, DefaultRealm, "Default"); err != nil {
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

func (s *Service) ensureRealm(ctx context.Context, name, display string) (*iam.Realm, error) {
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

func (s *Service) ensureAdminCLI(ctx context.Context, master *iam.Realm) error {
	_, err := s.Store.Realm(master.ID).Apps().GetByClientID(ctx, AdminCLI)
	if err == nil {
		return nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return store.AsIAM(err, "app", "")
	}
	_, _, err = s.CreateApp(ctx, master, NewApp{
		ClientID: AdminCLI, Name: "iamd admin CLI", Public: true,
		GrantTypes: []string{iam.GrantPassword, iam.GrantRefreshToken},
	}, "")
	if iam.IsCode(err, iam.CodeConflict) {
		return nil
	}
	return err
}
