package status

import (
	"reflect"
	"testing"
	"time"
)

func TestCompareMigrations(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name             string
		shipped, applied []string
		want             Schema
	}{
		{"none applied", []string{"1", "2"}, nil, Schema{Pending: []string{"1", "2"}, Unknown: []string{}}},
		{"up to date", []string{"1", "2"}, []string{"1", "2"}, Schema{Version: "2", Applied: 2, Pending: []string{}, Unknown: []string{}}},
		{"one pending", []string{"2", "1", "3"}, []string{"1", "2"}, Schema{Version: "2", Applied: 2, Pending: []string{"3"}, Unknown: []string{}}},
		{"a newer loader's", []string{"1"}, []string{"1", "9"}, Schema{Version: "9", Applied: 2, Pending: []string{}, Unknown: []string{"9"}}},
	} {
		if got := CompareMigrations(tc.shipped, tc.applied); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestCompareFiles(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	shipped := []Shipped{
		{Name: "gold.b", Kind: "view", SHA256: "b1"},
		{Name: "gold.a", Kind: "view", SHA256: "a1"},
		{Name: "meta", Kind: "function", SHA256: "m1"},
		{Name: "bronze", Kind: "function", SHA256: "x1"},
		{Name: "gold.gone", Kind: "view", SHA256: "g1"},
	}
	applied := []Applied{
		{Name: "gold.a", Kind: "view", SHA256: "a0", AppliedAt: at, Present: true},
		{Name: "gold.b", Kind: "view", SHA256: "b1", AppliedAt: at, Present: true},
		{Name: "bronze", Kind: "function", SHA256: "x1", AppliedAt: at, Present: true},
		{Name: "gold.old", Kind: "view", SHA256: "o0", AppliedAt: at, Present: true},
		{Name: "gold.gone", Kind: "view", SHA256: "g1", AppliedAt: at, Present: false},
	}
	want := []File{
		{Name: "bronze", Kind: "function", AppliedSHA256: "x1", ShippedSHA256: "x1", AppliedAt: &at, State: StateCurrent},
		{Name: "meta", Kind: "function", ShippedSHA256: "m1", State: StateNotApplied},
		{Name: "gold.a", Kind: "view", AppliedSHA256: "a0", ShippedSHA256: "a1", AppliedAt: &at, State: StateChanged},
		{Name: "gold.b", Kind: "view", AppliedSHA256: "b1", ShippedSHA256: "b1", AppliedAt: &at, State: StateCurrent},
		{Name: "gold.gone", Kind: "view", AppliedSHA256: "g1", ShippedSHA256: "g1", AppliedAt: &at, State: StateMissing},
		{Name: "gold.old", Kind: "view", AppliedSHA256: "o0", AppliedAt: &at, State: StateNotShipped},
	}
	got := CompareFiles(shipped, applied)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("CompareFiles:\n got %+v\nwant %+v", got, want)
	}
}
