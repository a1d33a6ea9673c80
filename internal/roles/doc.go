// Package roles holds the tests of the least-privilege roles the roles
// migration creates (db/migrations/*_roles.sql): spacex_writer runs the
// loader without owning anything, spacex_analyst reads bronze and gold.
// Each test connects as login roles made members of them, and proves both
// what they may do and what they may not.
package roles
