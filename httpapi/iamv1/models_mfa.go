package iamv1

// Models of the MFA operations (#23–#27), JSON names exactly as the
// document's.

// MFAResponse answers POST (a new key) and DELETE (disabled)
// /v1/iam/auth/sign-in/web/mfa. Key is the base32 secret for typing into
// an authenticator app; QRCodeBytes is a PNG of the otpauth:// key URI,
// base64. Both are empty when no key is shown.
type MFAResponse struct {
	EnableStatus bool   `json:"enableStatus"`
	Key          string `json:"key,omitempty"`
	QRCodeBytes  string `json:"qrCodeBytes,omitempty"`
}

// MFAEnableRequest is the body of POST /v1/iam/auth/sign-in/web/mfa-enable:
// a code of the new key, and the form of the recovery codes to make.
type MFAEnableRequest struct {
	MfaCode FlexString `json:"mfaCode"`
	MfaType string     `json:"mfaType"`
}

// MFAEnableResponse answers it; RecoveryCodes are shown this once.
type MFAEnableResponse struct {
	EnableStatus  bool     `json:"enableStatus"`
	RecoveryCodes []string `json:"recoveryCodes"`
}

// MFASigninRequest is the body of POST /v1/iam/auth/sign-in/web/mfa-signin.
// MfaCode is an authenticator code or a recovery code.
type MFASigninRequest struct {
	InviteCode string     `json:"inviteCode"`
	IsMobile   bool       `json:"isMobile"`
	MfaCode    FlexString `json:"mfaCode"`
	Password   string     `json:"password"`
	UserName   FlexString `json:"userName"`
}

// MFAStatusResponse answers GET /v1/iam/auth/sign-in/web/mfa-status.
type MFAStatusResponse struct {
	EnableStatus bool `json:"enableStatus"`
}

// MFADisableRequest is the body of DELETE /v1/iam/auth/sign-in/web/mfa.
type MFADisableRequest struct {
	Password string `json:"password"`
}

// mfaTypes are the values of MFAEnableRequest.mfaType, the default first.
var mfaTypes = []string{"EIGHT_DIGIT", "SIX_DIGIT", "ALPHA_NUMERIC"}
