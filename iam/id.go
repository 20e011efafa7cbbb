package iam

import "github.com/google/uuid"

// NewID returns a new random (v4) UUID string. Every record id is one.
func NewID() string { return uuid.NewString() }

// ValidID reports whether s is a UUID in canonical form, so a malformed id
// from a URL is answered "not found" without reaching the database.
func ValidID(s string) bool {
	if len(s) != 36 {
		return false
	}
	_, err := uuid.Parse(s)
	return err == nil
}
