package directory

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"iamd/iam"
)

// Realm attributes (RealmSettings.Attributes) holding the secrets of the
// third-party integrations document 000 serves. They are set by a realm
// administrator; an unset one makes its operation fail with
// CodePrecondition instead of answering a made-up value.
const (
	IntercomSecretAttribute        = "intercom_secret"
	IntercomSecretAndroidAttribute = "intercom_secret_android"
	IntercomSecretIOSAttribute     = "intercom_secret_ios"
	// FirebaseServiceAccountAttribute holds a Google service-account key
	// file (JSON: client_email, private_key PEM), as the Firebase console
	// downloads it.
	FirebaseServiceAccountAttribute = "firebase_service_account"
)

// Intercom platforms: which secret an identity-verification hash uses.
const (
	IntercomWeb     = "web"
	IntercomAndroid = "android"
	IntercomIOS     = "ios"
)

var intercomAttributes = map[string]string{
	IntercomWeb:     IntercomSecretAttribute,
	IntercomAndroid: IntercomSecretAndroidAttribute,
	IntercomIOS:     IntercomSecretIOSAttribute,
}

// IntercomUserID is the user id a client hands Intercom and the hashes
// sign: the decimal numeric id (document 000's user "id").
func IntercomUserID(u *iam.User) string { return strconv.FormatInt(u.Num, 10) }

// IntercomHash returns Intercom's identity-verification hash of the live
// user userID for platform (IntercomWeb, IntercomAndroid, IntercomIOS):
// the lower-case hex HMAC-SHA256 of IntercomUserID keyed with the
// platform's secret. CodePrecondition when the realm has no secret for
// the platform, CodeNotFound for an unknown user, CodeInvalid for an
// unknown platform.
func (s *Service) IntercomHash(ctx context.Context, realm *iam.Realm, userID, platform string) (string, error) {
	attr, ok := intercomAttributes[platform]
	if !ok {
		return "", iam.Invalid("platform", "platform must be web, android or ios")
	}
	secret, err := integrationSecret(realm, attr, "Intercom ("+platform+")")
	if err != nil {
		return "", err
	}
	u, err := liveUser(ctx, s.Store.Realm(realm.ID), userID)
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(IntercomUserID(u)))
	return hex.EncodeToString(m.Sum(nil)), nil
}

// integrationSecret reads a realm attribute that an integration cannot
// work without; CodePrecondition naming it when it is unset or blank.
func integrationSecret(realm *iam.Realm, attr, integration string) (string, error) {
	v := strings.TrimSpace(realm.Settings.Attributes[attr])
	if v == "" {
		return "", iam.Errorf(iam.CodePrecondition, "%s is not configured for realm %s: set its attribute %s", integration, realm.Name, attr)
	}
	return v, nil
}
