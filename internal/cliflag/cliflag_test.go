package cliflag_test

import (
	"flag"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spacex-elt/loader/internal/cliflag"
)

func TestParse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args       []string
		out        string
		force      bool
		positional []string
	}{
		{[]string{"a", "--out", "x"}, "x", false, []string{"a"}},
		{[]string{"--out=x", "a", "--force", "b"}, "x", true, []string{"a", "b"}},
		{[]string{"a", "-force", "-out", "-"}, "-", true, []string{"a"}},
		{[]string{"-", "--out", "--"}, "--", false, []string{"-"}},
		{[]string{"a", "--", "--out", "x"}, "", false, []string{"a", "--out", "x"}},
		{[]string{"a", "--out"}, "", false, nil}, // an error: the value is missing
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		out, force := fs.String("out", "", ""), fs.Bool("force", false, "")
		err := cliflag.Parse(fs, tc.args)
		if tc.positional == nil {
			if err == nil {
				t.Errorf("%q: no error", tc.args)
			}
			continue
		}
		if err != nil || *out != tc.out || *force != tc.force || !slices.Equal(fs.Args(), tc.positional) {
			t.Errorf("%q: out %q, force %v, args %q, err %v; want %q, %v, %q", tc.args, *out, *force, fs.Args(), err, tc.out, tc.force, tc.positional)
		}
	}
}

func TestDuration(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want time.Duration
		err  string
	}{
		{"90s", 90 * time.Second, ""},
		{"0", 0, ""},
		{"1d", 24 * time.Hour, ""},
		{"2d", 48 * time.Hour, ""},
		{"1d12h", 36 * time.Hour, ""},
		{"1.5d", 36 * time.Hour, ""},
		{"-5s", -5 * time.Second, ""},
		{"-1d", -24 * time.Hour, ""},
		{"-1d2h", -26 * time.Hour, ""},
		{"1x", 0, "want a duration such as 90s, 15m, 36h or 2d"},
		{"d", 0, "want a duration"},
		{"1d-5h", 0, "want a duration"},
		{"infd", 0, "want a duration"},
		{"1e3d", 0, "want a duration"},
		{"99999999d", 0, "want a duration"},
		{"", 0, "want a duration"},
	} {
		var d time.Duration
		err := cliflag.Duration{P: &d}.Set(tc.in)
		if tc.err == "" && (err != nil || d != tc.want) || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%q: %v, %v; want %v, error %q", tc.in, d, err, tc.want, tc.err)
		}
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	var l []string
	if err := (cliflag.List{P: &l}).Set(" a, ,b "); err != nil || !slices.Equal(l, []string{"a", "b"}) {
		t.Errorf("got %q, %v", l, err)
	}
	for _, in := range []string{"", " ", ",", " , "} {
		if err := (cliflag.List{P: &l}).Set(in); err == nil || !strings.Contains(err.Error(), "want one or more comma-separated names") {
			t.Errorf("%q: error %v, want one asking for names", in, err)
		}
	}
}

// TestParseRefusesNegativeDurations: Parse refuses a negative Duration,
// naming the flag and its value, on fs.Output().
func TestParseRefusesNegativeDurations(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--wait", "-5s"}, "--wait -5s: must not be negative"},
		{[]string{"a", "--wait=-1d"}, "--wait -24h0m0s: must not be negative"},
		{[]string{"--wait", "0"}, ""},
		{[]string{"--wait", "2d", "a"}, ""},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		var out strings.Builder
		fs.SetOutput(&out)
		var d time.Duration
		fs.Var(cliflag.Duration{P: &d}, "wait", "")
		err := cliflag.Parse(fs, tc.args)
		if tc.want == "" && (err != nil || out.Len() > 0) {
			t.Errorf("%q: %v, %q; want none", tc.args, err, out.String())
		}
		if tc.want != "" && (err == nil || err.Error() != tc.want || out.String() != "loader t: "+tc.want+"\n") {
			t.Errorf("%q: error %v, output %q; want %q", tc.args, err, out.String(), tc.want)
		}
	}
}

// TestAllOrNames (issue 13, item 11): bare, the flag means all; followed by
// a list of its names, with or without "=", those alone; a word that is
// not one of its names stays a positional argument; an unknown name after
// "=" is refused, listing the valid ones.
func TestAllOrNames(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args       []string
		all        bool
		names      []string
		positional []string
		err        string
	}{
		{[]string{}, false, nil, []string{}, ""},
		{[]string{"--force"}, true, nil, []string{}, ""},
		{[]string{"--force", "rockets,ships"}, false, []string{"rockets", "ships"}, []string{}, ""},
		{[]string{"--force=ships"}, false, []string{"ships"}, []string{}, ""},
		{[]string{"1", "--force", "rockets"}, false, []string{"rockets"}, []string{"1"}, ""},
		{[]string{"--force", "1"}, true, nil, []string{"1"}, ""},
		{[]string{"--force", "--out", "x"}, true, nil, []string{}, ""},
		{[]string{"--force=false"}, false, nil, []string{}, ""},
		{[]string{"--force=rocket"}, false, nil, nil, `no "rocket": want no value (all), or one or more of rockets, ships`},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		var all bool
		var names []string
		fs.Var(cliflag.AllOrNames{All: &all, Names: &names, Valid: []string{"rockets", "ships"}}, "force", "")
		fs.String("out", "", "")
		err := cliflag.Parse(fs, tc.args)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.args, err, tc.err)
			}
			continue
		}
		if err != nil || all != tc.all || !slices.Equal(names, tc.names) || !slices.Equal(fs.Args(), tc.positional) {
			t.Errorf("%q: all %v, names %q, args %q, err %v; want %v, %q, %q", tc.args, all, names, fs.Args(), err, tc.all, tc.names, tc.positional)
		}
	}
}
