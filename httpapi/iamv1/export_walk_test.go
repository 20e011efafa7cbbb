package iamv1

import "slices"

// WalkRoutes are the patterns the last Mount registered, for the
// isolation walk's coverage check.
func (a *API) WalkRoutes() []string { return slices.Clone(a.routes) }
