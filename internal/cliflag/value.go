package cliflag

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Duration is a flag.Value of a time.Duration that may be given in days:
// "2d", "1d12h", "1.5d", besides every unit time.ParseDuration takes.
// Parse refuses a negative one, naming the flag. Its type shows as
// "duration" in --help when its usage names `duration`, as
// flag.DurationVar's does by itself.
type Duration struct{ P *time.Duration }

// errDuration is what a value that is no duration gets; the flag package
// adds the flag's name and the value.
var errDuration = errors.New("want a duration such as 90s, 15m, 36h or 2d (units: ms, s, m, h, d)")

func (d Duration) String() string {
	if d.P == nil {
		return "0s" // the zero Duration, which --help compares the default to
	}
	return d.P.String()
}

// Set parses s.
func (d Duration) Set(s string) error {
	v, err := parseDuration(s)
	if err != nil {
		return errDuration
	}
	*d.P = v
	return nil
}

// parseDuration reads an optional number of days ("2d", "-1d", "1.5d"),
// then what time.ParseDuration reads, if anything ("1d12h").
func parseDuration(s string) (time.Duration, error) {
	days, rest, ok := strings.Cut(s, "d")
	if !ok {
		return time.ParseDuration(s)
	}
	digits := strings.TrimPrefix(days, "-")
	if digits == "" || strings.Trim(digits, "0123456789.") != "" || strings.HasPrefix(rest, "-") || strings.HasPrefix(rest, "+") {
		return 0, errDuration
	}
	n, err := strconv.ParseFloat(days, 64)
	if err != nil || math.Abs(n) > float64(math.MaxInt64/int64(24*time.Hour)) {
		return 0, errDuration
	}
	v := time.Duration(0)
	if rest != "" {
		if v, err = time.ParseDuration(rest); err != nil {
			return 0, err
		}
	}
	if n < 0 {
		v = -v
	}
	return time.Duration(n*float64(24*time.Hour)) + v, nil
}

// List is a flag.Value of comma-separated names. A value with no name in
// it ("", " , ") is refused: given on purpose, it would otherwise mean the
// same as the flag left out.
type List struct{ P *[]string }

func (l List) String() string {
	if l.P == nil {
		return ""
	}
	return strings.Join(*l.P, ",")
}

// Set splits s at commas, ignoring blanks.
func (l List) Set(s string) error {
	var names []string
	for n := range strings.SplitSeq(s, ",") {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return errors.New("want one or more comma-separated names")
	}
	*l.P = names
	return nil
}

// OrDefault is a string flag that an empty value leaves at Default, as an
// unset variable would; it shows no default in --help, so a Default taken
// from a secret's variable is never printed.
type OrDefault struct {
	P       *string
	Default string
}

func (v OrDefault) String() string { return "" }

// Set stores s, or Default when s is empty.
func (v OrDefault) Set(s string) error {
	*v.P = cmp.Or(s, v.Default)
	return nil
}

// AllOrNames is a flag that, given bare (--force-deletes), means all, and
// given names from Valid (--force-deletes rockets,ships, or with "="),
// means those alone. Parse hands it the next argument when that is a list
// of Valid names, so that any other word stays a positional argument.
// "true" and "false" set All, as for a bool flag.
type AllOrNames struct {
	All   *bool
	Names *[]string
	Valid []string
}

// IsBoolFlag lets the flag be given bare.
func (v AllOrNames) IsBoolFlag() bool { return true }

func (v AllOrNames) String() string {
	switch {
	case v.All == nil || v.Names == nil:
		return "false"
	case len(*v.Names) > 0:
		return strings.Join(*v.Names, ",")
	}
	return strconv.FormatBool(*v.All)
}

// Set reads "true", "false" or a list of names, each one of Valid.
func (v AllOrNames) Set(s string) error {
	if b, err := strconv.ParseBool(s); err == nil {
		*v.All, *v.Names = b, nil
		return nil
	}
	var names []string
	if err := (List{P: &names}).Set(s); err != nil {
		return err
	}
	for _, n := range names {
		if !slices.Contains(v.Valid, n) {
			return fmt.Errorf("no %q: want no value (all), or one or more of %s", n, strings.Join(v.Valid, ", "))
		}
	}
	*v.All, *v.Names = false, names
	return nil
}

// takes says whether arg, the argument after the bare flag, is its value:
// a comma-separated list of Valid names.
func (v AllOrNames) takes(arg string) bool {
	var names []string
	if (List{P: &names}).Set(arg) != nil {
		return false
	}
	for _, n := range names {
		if !slices.Contains(v.Valid, n) {
			return false
		}
	}
	return true
}
