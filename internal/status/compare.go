package status

import (
	"cmp"
	"slices"
	"time"
)

// States of a function or view file, as File.State says them.
const (
	// StateCurrent: applied with the SQL the binary ships.
	StateCurrent = "current"
	// StateChanged: the binary's file differs from the one applied.
	StateChanged = "changed"
	// StateNotApplied: the binary ships a file never applied here.
	StateNotApplied = "not applied"
	// StateNotShipped: applied here, but the binary has no such file.
	StateNotShipped = "not shipped"
	// StateMissing: a view file applied with the binary's SQL whose
	// relation no longer exists.
	StateMissing = "missing"
)

// File is a function or view file compared between the binary and the
// database. loader migrate brings every state but StateNotShipped back to
// StateCurrent.
type File struct {
	Name, Kind string
	// AppliedSHA256 is "" for a file never applied; ShippedSHA256 is ""
	// for one the binary lacks.
	AppliedSHA256, ShippedSHA256 string
	AppliedAt                    *time.Time
	State                        string
}

// Shipped is a file the binary embeds.
type Shipped struct {
	Name, Kind, SHA256 string
}

// CompareFiles compares the files the binary ships with those applied,
// and returns one File per name, by kind and name.
func CompareFiles(shipped []Shipped, applied []Applied) []File {
	type key struct{ kind, name string }
	byKey := map[key]*File{}
	var out []*File
	get := func(kind, name string) *File {
		k := key{kind, name}
		if f, ok := byKey[k]; ok {
			return f
		}
		f := &File{Name: name, Kind: kind}
		byKey[k] = f
		out = append(out, f)
		return f
	}
	for _, s := range shipped {
		get(s.Kind, s.Name).ShippedSHA256 = s.SHA256
	}
	present := map[key]bool{}
	for _, a := range applied {
		f := get(a.Kind, a.Name)
		f.AppliedSHA256 = a.SHA256
		at := a.AppliedAt
		f.AppliedAt = &at
		present[key{a.Kind, a.Name}] = a.Present
	}
	files := make([]File, len(out))
	for i, f := range out {
		switch {
		case f.AppliedSHA256 == "":
			f.State = StateNotApplied
		case f.ShippedSHA256 == "":
			f.State = StateNotShipped
		case f.AppliedSHA256 != f.ShippedSHA256:
			f.State = StateChanged
		case !present[key{f.Kind, f.Name}]:
			f.State = StateMissing
		default:
			f.State = StateCurrent
		}
		files[i] = *f
	}
	slices.SortFunc(files, func(a, b File) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name))
	})
	return files
}

// Schema is the dbmate migrations applied compared with those the binary
// ships.
type Schema struct {
	// Version is the newest migration applied; "" when none.
	Version string
	// Applied is how many migrations are applied.
	Applied int
	// Pending are shipped migrations not applied: loader migrate applies
	// them. Unknown are applied migrations the binary does not ship (a
	// newer loader migrated the database).
	Pending, Unknown []string
}

// CompareMigrations compares the versions shipped with those applied.
func CompareMigrations(shipped, applied []string) Schema {
	s := Schema{Applied: len(applied), Pending: []string{}, Unknown: []string{}}
	for _, v := range applied {
		s.Version = max(s.Version, v)
		if !slices.Contains(shipped, v) {
			s.Unknown = append(s.Unknown, v)
		}
	}
	for _, v := range shipped {
		if !slices.Contains(applied, v) {
			s.Pending = append(s.Pending, v)
		}
	}
	slices.Sort(s.Pending)
	slices.Sort(s.Unknown)
	return s
}
