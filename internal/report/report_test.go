package report

import "testing"

func TestShow(t *testing.T) {
	t.Parallel()
	s := func(v string) *string { return &v }
	cases := []struct {
		v    *string
		f    Format
		want string
	}{
		{nil, Exact, "—"},
		{nil, Percent, "—"},
		{s("1254018.55"), Exact, "1254018.55"},
		{s("0.125"), Decimal2, "0.13"}, // halves away from zero, as PostgreSQL's round
		{s("-0.125"), Decimal2, "-0.13"},
		{s("2720.5849"), Decimal2, "2720.58"},
		{s("3523.95"), Decimal1, "3524.0"},
		{s("7137.0600000000000000"), Decimal1, "7137.1"},
		{s("0.93333333333333333333"), Percent, "93.3%"},
		{s("0.0015"), Percent, "0.2%"},
		{s("1"), Percent, "100.0%"},
		{s("0"), Percent, "0.0%"},
		{s("1e3"), Decimal2, "1000.00"}, // float8 text in exponent form
	}
	for _, c := range cases {
		if got := Show(c.v, c.f); got != c.want {
			t.Errorf("Show(%v, %d) = %q, want %q", deref(c.v), c.f, got, c.want)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return "NULL"
	}
	return *s
}
