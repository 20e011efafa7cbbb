package iam

import "time"

// Role is a realm role (AppID "") or an app (client) role.
type Role struct {
	ID          string
	RealmID     string
	AppID       string
	Name        string
	Description string
	Attributes  map[string]string
	CreatedAt   time.Time
}

// Group is a named set of users, possibly nested (ParentID). Members inherit
// the group's roles.
type Group struct {
	ID         string
	RealmID    string
	ParentID   string
	Name       string
	Attributes map[string][]string
	CreatedAt  time.Time
}

// RoleAdmin is the realm role that makes a user an administrator of its realm
// (and, in realm master, of the whole server).
const RoleAdmin = "admin"
