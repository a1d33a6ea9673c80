package main

import (
	"context"
	"fmt"
	"io"
)

// runCheck is a placeholder until the check command lands (issue 7).
func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fmt.Fprintln(stderr, "loader check: not implemented yet")
	return exitFailed
}
