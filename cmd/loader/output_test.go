package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestNotModifiedIsNotLoggedAsLanded: issue 13 item 18, a resource whose
// extract was unchanged was logged as msg="resource landed". A second sync
// of the same snapshot lands nothing: every resource it has says so.
func TestNotModifiedIsNotLoggedAsLanded(t *testing.T) {
	t.Parallel()
	dsn := syncSnapshot(t, snapshot)
	code, out, errOut := loader(t, nil, "sync", "--source", snapshot, "--database-url", dsn)
	if code != exitOK {
		t.Fatalf("second sync: exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(errOut, `msg="resource landed"`) {
		t.Errorf("an unchanged resource is logged as landed:\n%s", errOut)
	}
	re := regexp.MustCompile(`(?m)^time=\S+ level=INFO msg="resource not modified, its earlier landing reused" run_id=2 resource=(\w+) not_modified=true `)
	if got := re.FindAllStringSubmatch(errOut, -1); len(got) != 13 || got[0][1] != "rockets" {
		t.Errorf("%d \"resource not modified\" lines, want 13 (every resource but the absent starlink), from rockets:\n%s", len(got), errOut)
	}
}
