// Package directory holds the administration use cases: realms, users,
// apps, roles and the first-start bootstrap. Every rule about what an
// administrator may create or change lives here once; surfaces and the
// command line only translate to and from it.
package directory
