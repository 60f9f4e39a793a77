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
