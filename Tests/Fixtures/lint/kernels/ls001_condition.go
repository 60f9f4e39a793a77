package main

// takeResult takes the result if it is there.
func takeResult(results <-chan error, err *error) bool {
	select {
	case *err = <-results:
		return true
	default:
		return false
	}
}

// Fixed: the loop's condition hands the channel to a helper that receives from it, and the
// loop ends only once it has (amazon-ecs-agent's waitEvent).
func waitReported(report func() error, poll func()) error {
	results := make(chan error)
	go func() {
		results <- report()
	}()
	var err error
	for !takeResult(results, &err) {
		poll()
	}
	return err
}

// Leaks: the loop's condition asks something else, and the result is never taken.
func waitPolling(report func() error, done func() bool, poll func()) error {
	results := make(chan error)
	go func() {
		results <- report() // want "LS001"
	}()
	for !done() {
		poll()
	}
	return nil
}

// Leaks: the loop's init receives only after the select, which may already have returned on
// the context: the sender then blocks forever.
func collectAfterFirst(ctx interface{ Done() <-chan struct{} }, search func() []string) []string {
	results := make(chan string)
	go func() {
		for _, r := range search() {
			results <- r // want "LS001"
		}
		close(results)
	}()
	var out []string
	select {
	case r, ok := <-results:
		if !ok {
			return nil
		}
		out = append(out, r)
	case <-ctx.Done():
		return nil
	}
	for r, ok := <-results; ok; r, ok = <-results {
		out = append(out, r)
	}
	return out
}
