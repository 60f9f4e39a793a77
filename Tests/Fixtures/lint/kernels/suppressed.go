package main

import (
	"context"
	"time"
)

// Suppressed on purpose: the finding is silenced by the comment above it.
func suppressed(parent context.Context) error {
	//leakscope:ignore LS003 the context dies with the request anyway
	ctx, _ := context.WithTimeout(parent, time.Second)
	return use(ctx)
}
