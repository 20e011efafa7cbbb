package oidc

import (
	"html/template"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"iamd/iam"
)

// Realm attributes (realm.Settings.Attributes) that brand the hosted
// pages. A value that does not validate is ignored and the default look
// is used, so a typo never breaks sign-in.
const (
	// LoginLogoURLAttr is an absolute http or https URL of an image shown
	// above the form instead of the realm's name (at most 2000
	// characters, no user info). Its origin is added to the pages' CSP
	// img-src.
	LoginLogoURLAttr = "login_logo_url"
	// LoginPrimaryColorAttr is the colour of buttons and focus rings, as
	// #rgb or #rrggbb. The button text is black or white, whichever
	// contrasts more.
	LoginPrimaryColorAttr = "login_primary_color"
)

var (
	pageColorPattern = regexp.MustCompile(`^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)
	pageHostPattern  = regexp.MustCompile(`^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$`)
)

// pageBranding is a realm's look, ready for the layout and the CSP.
type pageBranding struct {
	name      string
	logoURL   string
	imgSource string // CSP source of the logo: its origin
	inlineCSS template.CSS
	styleHash string
}

func pageBrandingOf(realm *iam.Realm) pageBranding {
	if realm == nil {
		return pageBranding{name: "iamd"}
	}
	b := pageBranding{name: realm.DisplayName}
	if b.name == "" {
		b.name = realm.Name
	}
	attrs := realm.Settings.Attributes
	if logo, origin, ok := pageLogo(attrs[LoginLogoURLAttr]); ok {
		b.logoURL, b.imgSource = logo, origin
	}
	if c := strings.TrimSpace(attrs[LoginPrimaryColorAttr]); pageColorPattern.MatchString(c) {
		css := ":root{--primary:" + strings.ToLower(c) + ";--on-primary:" + pageTextOn(c) + "}"
		b.inlineCSS, b.styleHash = template.CSS(css), pageHash(css)
	}
	return b
}

// pageLogo validates a logo URL and returns it with its origin.
func pageLogo(raw string) (logo, origin string, ok bool) {
	raw = strings.TrimSpace(raw)
	if raw == "" || len(raw) > 2000 {
		return "", "", false
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil || !pageHostPattern.MatchString(u.Host) {
		return "", "", false
	}
	return u.String(), u.Scheme + "://" + u.Host, true
}

// pageTextOn picks black or white text for background colour c (#rgb or
// #rrggbb), by WCAG contrast.
func pageTextOn(c string) string {
	hex := c[1:]
	if len(hex) == 3 {
		hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
	}
	var lum float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		v, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		s := float64(v) / 255
		if s <= 0.04045 {
			s /= 12.92
		} else {
			s = math.Pow((s+0.055)/1.055, 2.4)
		}
		lum += w * s
	}
	if (lum+0.05)/0.05 > 1.05/(lum+0.05) {
		return "#000"
	}
	return "#fff"
}
