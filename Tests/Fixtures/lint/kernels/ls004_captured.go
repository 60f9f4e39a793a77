package main

import "net/http"

type fetcher struct {
	cli *http.Client
}

func withRetry(attempt func() error) error {
	var err error
	for i := 0; i < 3; i++ {
		if err = attempt(); err == nil {
			return nil
		}
	}
	return err
}

// Leaks: the literal's own response is never closed.
func (f fetcher) probeEach(u string) error {
	return withRetry(func() error {
		var resp *http.Response
		var err error
		resp, err = f.cli.Get(u) // want "LS004"
		if err != nil {
			return err
		}
		if resp.StatusCode != http.StatusOK {
			return http.ErrNoLocation
		}
		return nil
	})
}

// Silent: the literal stores the response in the method's named result, which is returned.
func (f fetcher) fetchWithRetry(u string) (resp *http.Response, err error) {
	err = withRetry(func() error {
		resp, err = f.cli.Get(u)
		return err
	})
	return
}
