package password

import (
	_ "embed"
	"strings"
	"sync"
)

//go:embed denylist.txt
var denylistText string

// denylist is the set of lower-cased entries of denylist.txt, built on first
// use.
var denylist = sync.OnceValue(func() map[string]struct{} {
	set := make(map[string]struct{}, 10_100)
	for line := range strings.Lines(denylistText) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		set[strings.ToLower(line)] = struct{}{}
	}
	return set
})

// IsCommon reports whether password, ignoring case and surrounding spaces,
// is on the bundled deny-list of common passwords.
func IsCommon(password string) bool {
	_, found := denylist()[strings.ToLower(strings.TrimSpace(password))]
	return found
}
