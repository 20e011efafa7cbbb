// Package config holds iamd's typed configuration: every setting has a flag
// and an IAMD_* environment twin (a flag wins over its twin), defaults that
// let `iamd serve` start with nothing set, and one Validate that runs before
// anything else starts.
package config
