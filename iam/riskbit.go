package iam

import "time"

// Riskbit is one device-risk rule of document 001: a named risk with a
// rating, a score and per-platform values.
type Riskbit struct {
	ID          string
	RealmID     string
	Risk        string // unique per realm
	RatingLevel string
	Score       int
	RiskAndroid string
	RiskIOS     string
	Operation   string
	CreatedAt   time.Time
}
