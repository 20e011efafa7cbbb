package directory

import (
	"context"
	"errors"
	"time"

	"iamd/authn/password"
	"iamd/iam"
	"iamd/store"
)

// NewUser is what an administrator gives to create a user.
type NewUser struct {
	Username        string
	Email           string
	Phone           string
	FirstName       string
	LastName        string
	Password        string // optional: a user may sign in by code or link only
	Disabled        bool
	EmailVerified   bool
	PhoneVerified   bool
	Attributes      map[string][]string
	RequiredActions []string
	Profile         iam.Profile
	Addresses       []iam.Address
	RealmRoles      []string // granted at creation; created if missing
}

// CreateUser validates in, checks the password against the realm's policy,
// and stores the user, its password credential, its roles and an audit event
// in one transaction. CodeInvalid names the bad field; CodeConflict says
// which identifier is taken.
func (s *Service) CreateUser(ctx context.Context, realm *iam.Realm, in NewUser, actorID string) (*iam.User, error) {
	pu, err := s.PrepareUser(ctx, realm, in)
	if err != nil {
		return nil, err
	}
	err = s.Store.InTx(ctx, func(tx store.Tx) error { return s.InsertUser(ctx, tx, realm, pu, actorID) })
	if err != nil {
		return nil, store.AsIAM(err, "user", "")
	}
	return pu.User, nil
}

// PreparedUser is a user checked and ready to be stored by InsertUser,
// its password already hashed: hashing is slow, so it happens before the
// transaction that stores the user, not inside it.
type PreparedUser struct {
	User  *iam.User // ID set; Num is assigned by InsertUser
	hash  string
	roles []string
}

// PrepareUser validates in (CodeInvalid naming the bad field, including a
// password the realm's policy refuses) and hashes its password. Nothing
// is stored.
func (s *Service) PrepareUser(ctx context.Context, realm *iam.Realm, in NewUser) (*PreparedUser, error) {
	now := s.now()
	u := &iam.User{
		ID: iam.NewID(), RealmID: realm.ID,
		Username: in.Username, Email: in.Email, Phone: in.Phone,
		FirstName: in.FirstName, LastName: in.LastName,
		Enabled: !in.Disabled, EmailVerified: in.EmailVerified, PhoneVerified: in.PhoneVerified,
		Attributes: in.Attributes, RequiredActions: in.RequiredActions,
		Profile: in.Profile, Addresses: in.Addresses,
		CreatedAt: now, UpdatedAt: now,
	}
	if err := iam.NormalizeUser(u, realm.Settings.PhoneRegion); err != nil {
		return nil, err
	}
	pu := &PreparedUser{User: u, roles: in.RealmRoles}
	if in.Password != "" {
		if err := password.CheckPolicy(realm.Settings.Password, in.Password, u.Username, u.Email); err != nil {
			return nil, err
		}
		h, err := s.Passwords.Hash(ctx, in.Password)
		if err != nil {
			return nil, iam.Internal(err)
		}
		pu.hash = h
	}
	return pu, nil
}

// InsertUser stores a prepared user, its password credential, its realm
// roles and an audit event through tx, so that a caller can commit them
// together with more (an organization, a verification code). CodeConflict
// says which identifier is taken.
func (s *Service) InsertUser(ctx context.Context, tx store.Tx, realm *iam.Realm, pu *PreparedUser, actorID string) error {
	u, now := pu.User, pu.User.CreatedAt
	sc := tx.Realm(realm.ID)
	if err := sc.Users().Create(ctx, u); err != nil {
		return store.AsIAM(err, "user", conflictMessage(u))
	}
	if pu.hash != "" {
		c := &iam.Credential{ID: iam.NewID(), RealmID: realm.ID, UserID: u.ID, Type: iam.CredPassword, Secret: pu.hash, CreatedAt: now, UpdatedAt: now}
		if err := sc.Credentials().Create(ctx, c); err != nil {
			return store.AsIAM(err, "user", "")
		}
	}
	for _, role := range pu.roles {
		if err := grantRealmRole(ctx, sc, realm.ID, u.ID, role, now); err != nil {
			return err
		}
	}
	return sc.Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: iam.EventUserCreated, UserID: u.ID, ActorID: actorID, CreatedAt: now})
}

// conflictMessage names the identifiers that may be taken. The store
// reports one conflict for any of them, and reading inside the failed
// transaction is not possible on PostgreSQL, so the message lists them all.
func conflictMessage(u *iam.User) string {
	msg := "a user with this username"
	switch {
	case u.Email != "" && u.Phone != "":
		msg += ", e-mail or phone"
	case u.Email != "":
		msg += " or e-mail"
	case u.Phone != "":
		msg += " or phone"
	}
	return msg + " already exists"
}

// UnlockUser clears the brute-force state of a user and records who did it.
func (s *Service) UnlockUser(ctx context.Context, realm *iam.Realm, userID, actorID string) error {
	if !iam.ValidID(userID) {
		return iam.NotFound("user")
	}
	now := s.now()
	err := s.Store.InTx(ctx, func(tx store.Tx) error {
		sc := tx.Realm(realm.ID)
		if err := sc.Users().SetLockout(ctx, userID, iam.Lockout{}); err != nil {
			return err
		}
		return sc.Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realm.ID, Type: iam.EventUserUnlocked, UserID: userID, ActorID: actorID, CreatedAt: now})
	})
	return store.AsIAM(err, "user", "")
}

// grantRealmRole grants the realm role name to the user, creating the role
// first when the realm does not have it yet.
func grantRealmRole(ctx context.Context, sc store.Scope, realmID, userID, name string, now time.Time) error {
	role, err := sc.Roles().GetByName(ctx, "", name)
	if errors.Is(err, store.ErrNotFound) {
		role = &iam.Role{ID: iam.NewID(), RealmID: realmID, Name: name, CreatedAt: now}
		err = sc.Roles().Create(ctx, role)
	}
	if err != nil {
		return store.AsIAM(err, "role "+name, "")
	}
	if err := sc.Roles().Grant(ctx, userID, role.ID); err != nil {
		return store.AsIAM(err, "role "+name, "")
	}
	return sc.Events().Append(ctx, &iam.Event{ID: iam.NewID(), RealmID: realmID, Type: iam.EventRoleGranted, UserID: userID, Detail: map[string]string{"role": name}, CreatedAt: now})
}

// FindUser returns the live user whose username, e-mail or phone is login.
func (s *Service) FindUser(ctx context.Context, realm *iam.Realm, login string) (*iam.User, error) {
	if login == "" || len(login) > 320 {
		return nil, iam.NotFound("user")
	}
	u, err := s.Store.Realm(realm.ID).Users().Find(ctx, login)
	if err != nil {
		return nil, store.AsIAM(err, "user "+login, "")
	}
	return u, nil
}
