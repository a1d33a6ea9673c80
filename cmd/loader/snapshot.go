package main

import (
	"context"
	"fmt"
	"io"
)

// runSnapshot is a placeholder until the snapshot command lands (issue 7).
func runSnapshot(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fmt.Fprintln(stderr, "loader snapshot: not implemented yet")
	return exitFailed
}
