// Package faults holds the fault-injection suite: each test injects one
// fault (docs/reliability.md lists them) into a real loader process working
// against a real PostgreSQL and the fake API, and checks that the outcome is
// either complete correct data or the previous data intact with a clear,
// recorded error.
package faults
