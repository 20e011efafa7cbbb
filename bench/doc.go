// Package bench drives load against a running iamd over HTTP and measures
// it: the OAuth 2.0 / OIDC scenarios of `iamd bench` (client credentials,
// password, refresh, introspection, userinfo, JWKS) and the raw argon2id
// hash rate of `iamd bench hash`, the ceiling for password logins.
//
// The load comes from vegeta's Attacker used as a library, in max-rate mode
// with a fixed number of workers: each worker sends its next request as soon
// as its previous one answered, so the concurrency is exactly the number of
// workers. Only answers a client would accept count as successes (a 2xx
// whose body carries what the scenario needs, e.g. an active introspection);
// the rate and the latencies are those of successes, and every other answer
// is an error, reported with the first few distinct statuses and bodies.
//
// The package knows nothing of iamd's storage: the caller creates the realm,
// app and user a Target names (cmd/iamd does, on the server's database).
package bench
