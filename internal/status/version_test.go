package status

import (
	"runtime/debug"
	"testing"
)

// TestBuildOf: issue 13 item 17, --version prints the version and the
// commit, from the build information (vcs.revision, vcs.modified).
func TestBuildOf(t *testing.T) {
	t.Parallel()
	info := func(version string, settings ...debug.BuildSetting) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Path: "github.com/spacex-elt/loader", Version: version}, Settings: settings}
	}
	rev := debug.BuildSetting{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}
	for _, tc := range []struct {
		info                    *debug.BuildInfo
		wantVersion, wantCommit string
	}{
		{info("v1.2.3", rev, debug.BuildSetting{Key: "vcs.modified", Value: "false"}), "v1.2.3", rev.Value},
		{info("(devel)", rev, debug.BuildSetting{Key: "vcs.modified", Value: "true"}), "(devel)", rev.Value + "+modified"},
		{info("(devel)"), "(devel)", "unknown (built without VCS stamping: go run, go test or -buildvcs=false)"},
		{nil, "unknown", "unknown (no build information)"},
	} {
		if v, c := buildOf(tc.info); v != tc.wantVersion || c != tc.wantCommit {
			t.Errorf("buildOf(%+v) = %q, %q; want %q, %q", tc.info, v, c, tc.wantVersion, tc.wantCommit)
		}
	}
}
